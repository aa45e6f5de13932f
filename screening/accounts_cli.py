"""Commands for staff accounts: `flask --app screening create-clinician` and `ensure-demo-admin`."""

from __future__ import annotations

import os
import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from . import accounts, services
from .extensions import db
from .models import Role, User

DEMO_ADMIN_EMAIL = "admin@example.org"
PASSWORD_ENV = "CLINICIAN_PASSWORD"


@click.command("create-clinician")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.CLINICIAN.value,
    show_default=True,
    help="An admin may also export and read the audit log.",
)
@with_appcontext
def create_clinician_command(email: str, role: str) -> None:
    """Create a staff account. The password comes from CLINICIAN_PASSWORD, or is asked for."""
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = accounts.create_user(email, password, role)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    label = "admin" if user.is_admin else "clinician"
    click.echo(f"Created {label} {user.email}")


def _account(email: str) -> User:
    user = accounts.user_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account with the email {email}.")
    return user


@click.command("sign-out-everywhere")
@click.argument("email")
@with_appcontext
def sign_out_everywhere_command(email: str) -> None:
    """End every session of a staff account, on every device."""
    user = _account(email)
    accounts.end_sessions(user)
    services.audit("sessions_ended", user=user, detail="by command")
    db.session.commit()
    click.echo(f"Signed out {user.email} everywhere.")


@click.command("disable-clinician")
@click.argument("email")
@with_appcontext
def disable_clinician_command(email: str) -> None:
    """Disable a staff account: it cannot sign in and its sessions end at once."""
    user = _account(email)
    try:
        accounts.set_active(user, False)
    except accounts.LastAdmin as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    services.audit("account_disabled", user=user, detail="by command")
    db.session.commit()
    click.echo(f"Disabled {user.email}; its sessions have ended.")


@click.command("enable-clinician")
@click.argument("email")
@with_appcontext
def enable_clinician_command(email: str) -> None:
    """Enable a disabled staff account again."""
    user = _account(email)
    accounts.set_active(user, True)
    services.audit("account_enabled", user=user, detail="by command")
    db.session.commit()
    click.echo(f"Enabled {user.email}.")


def _environment() -> str:
    # create_app keeps ENV_NAME only when given a mapping (tests); otherwise, like create_app,
    # the environment comes from SCREENING_ENV and defaults to development.
    return current_app.config.get("ENV_NAME") or os.environ.get("SCREENING_ENV", "development")


def _in_development() -> bool:
    """Development, or debug mode anywhere but production: a known password must never ship."""
    name = _environment()
    return name == "development" or (bool(current_app.debug) and name != "production")


@click.command("ensure-demo-admin")
@with_appcontext
def ensure_demo_admin_command() -> None:
    """Development only: create a demo admin with a random password, once, if no account exists."""
    if not _in_development():
        raise click.ClickException("ensure-demo-admin runs only in development.")
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo(
            "Staff accounts exist, so no demo admin was created. To add one: "
            "flask --app screening create-clinician EMAIL [--role admin]"
        )
        return
    password = secrets.token_urlsafe(12)
    accounts.create_user(DEMO_ADMIN_EMAIL, password, Role.ADMIN.value)
    db.session.commit()
    line = f"Demo admin: {DEMO_ADMIN_EMAIL} / {password} (shown once)"
    rule = "+" + "-" * (len(line) + 2) + "+"
    click.echo("\n".join(["", rule, f"| {line} |", rule, ""]))


def register(app: Flask) -> None:
    """Attach the account commands to the app's `flask` command line."""
    for command in (
        create_clinician_command,
        ensure_demo_admin_command,
        sign_out_everywhere_command,
        disable_clinician_command,
        enable_clinician_command,
    ):
        app.cli.add_command(command)
