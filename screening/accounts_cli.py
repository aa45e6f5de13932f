"""Commands for staff accounts: `flask --app screening create-clinician` and `ensure-demo-admin`."""

from __future__ import annotations

import os
import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from . import accounts
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
    app.cli.add_command(create_clinician_command)
    app.cli.add_command(ensure_demo_admin_command)
