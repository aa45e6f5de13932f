"""`flask --app screening worker`: the Huey consumer that delivers email and runs the clock."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import outbox, tasks


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads delivering at once.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Deliver queued email and escalate unacknowledged alerts, until stopped."""
    try:
        settings = outbox.mail_settings(current_app.config, current_app.instance_path)
    except outbox.MailSettingsError as error:
        # A clear message and a distinct exit status, so a supervisor does not loop on it.
        raise click.UsageError(f"mail settings: {error}") from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    huey = current_app.extensions["huey"]
    where = (
        f"kept in {settings.directory} and printed here (no MAIL_SERVER)"
        if settings.directory
        else f"sent through {settings.server}:{settings.port}"
    )
    click.echo(f"Worker: {workers} thread(s) on queue {huey.name!r}; email is {where}.")
    # Huey says each task it runs at INFO (a line a minute for the clock): warnings only.
    logging.getLogger("huey").setLevel(logging.WARNING)
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    # Anything left from before a restart goes out now, not at the next minute.
    tasks.wake_worker()
    consumer.run()


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
