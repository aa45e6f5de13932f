"""Commands: seed-demo, purge-expired, rotate-keys; evaluate lives in evaluate_cli.py."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import clinic, services
from .extensions import db
from .models import utcnow


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load about 30 fictional submissions that cover every flag and level."""
    from .demo import demo_created_times, demo_documents

    now = utcnow()
    thresholds = clinic.thresholds()
    documents = demo_documents(now.date())
    times = demo_created_times(len(documents), now)
    for index, (doc, created_at) in enumerate(zip(documents, times, strict=True)):
        services.store_submission(
            doc,
            created_at.date(),
            thresholds,
            submit_key=f"demo-{created_at.timestamp():.0f}-{index}",
            created_at=created_at,
        )
    db.session.commit()
    click.echo(f"Loaded {len(documents)} fictional submissions into the review queue.")


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Delete drafts past DRAFT_TTL_DAYS and reviewed submissions past RETENTION_DAYS."""
    config = current_app.config
    drafts, submissions = services.purge_expired(
        utcnow(), config["DRAFT_TTL_DAYS"], config["RETENTION_DAYS"]
    )
    services.audit(
        "purge_expired", user=None, detail=f"{drafts} drafts, {submissions} submissions deleted"
    )
    db.session.commit()
    click.echo(f"Deleted {drafts} expired drafts and {submissions} reviewed submissions.")


@click.command("rotate-keys")
@with_appcontext
def rotate_keys_command() -> None:
    """Re-encrypt every stored answer, flag and note with the first of ENCRYPTION_KEYS."""
    from .crypto import CANNOT_DECRYPT, rotate

    result = rotate(db.session)
    detail = f"{result.rewritten} values re-encrypted, {len(result.unreadable)} unreadable"
    services.audit("rotate_keys", user=None, detail=detail)
    db.session.commit()
    click.echo(f"Re-encrypted {result.rewritten} values with the newest key.")
    if result.unreadable:
        # Before an old key is dropped: these rows need it (or are lost already).
        for table_name, column_name, row_id in result.unreadable:
            click.echo(f"{table_name}.{column_name} of row {row_id} {CANNOT_DECRYPT}", err=True)
        click.echo(
            f"{len(result.unreadable)} values could not be read: keep the key that wrote them "
            "in ENCRYPTION_KEYS until they are dealt with.",
            err=True,
        )
        sys.exit(1)


def register(app: Flask) -> None:
    """Attach the commands to the app's `flask` command line."""
    from . import accounts_cli, worker_cli
    from .evaluate_cli import app_evaluate_command

    for command in (
        app_evaluate_command,
        seed_demo_command,
        purge_expired_command,
        rotate_keys_command,
    ):
        app.cli.add_command(command)
    accounts_cli.register(app)
    worker_cli.register(app)
