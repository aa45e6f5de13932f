"""Background work on Huey: deliver the outbox, and run the alerts' clock once a minute.

Each app gets its own Huey (RedisHuey for TASK_QUEUE_URL=redis://..., SqliteHuey under
instance/ when unset) with the same task names, so the web app enqueues what the worker
(`flask --app screening worker`) runs. The queue holds only wake-ups: what must be sent or
escalated is in the database, so a lost task, a restart or a Redis outage loses nothing; the
minute's sweep picks up whatever is due.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from .models import OutboxEmail, utcnow

log = logging.getLogger(__name__)


def make_huey(config: Any, instance_path: str) -> Huey:
    """The queue TASK_QUEUE_URL names: redis://, sqlite:///path, memory:// or the default."""
    url = str(config.get("TASK_QUEUE_URL") or "")
    name = config.get("TASK_QUEUE_NAME") or "screening"
    options: dict[str, Any] = {"results": False, "utc": True}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, **options)
    if url.startswith("memory://"):
        return MemoryHuey(name, **options)
    if url.startswith("sqlite:///"):
        filename = url.removeprefix("sqlite:///")
    elif url:
        raise ValueError(
            f"TASK_QUEUE_URL must be redis://..., sqlite:///path or unset, not {url!r}"
        )
    else:
        filename = str(Path(instance_path) / "tasks.db")
    return SqliteHuey(name, filename=filename, **options)


def init_app(app: Flask) -> None:
    """Give the app its queue and register the tasks on it."""
    huey = make_huey(app.config, app.instance_path)
    app.extensions["huey"] = huey

    @huey.task(name="deliver_outbox")
    def deliver_outbox() -> None:
        with app.app_context():
            _deliver(huey)

    @huey.periodic_task(crontab(minute="*"), name="every_minute")
    def every_minute() -> None:
        with app.app_context():
            run_clock(utcnow())
            _deliver(huey)

    app.extensions["huey_tasks"] = {"deliver_outbox": deliver_outbox, "every_minute": every_minute}


def _deliver(huey: Huey) -> None:
    from . import outbox

    settings = outbox.mail_settings(current_app.config, current_app.instance_path)
    result = outbox.deliver_due(settings)
    if result.retry_in is not None:
        # Come back when the earliest failed email is due (the minute's sweep would too).
        current_app.extensions["huey_tasks"]["deliver_outbox"].schedule(delay=result.retry_in)


def run_clock(now: datetime) -> int:
    """Escalate every alert left open too long; the number escalated."""
    from . import alerts

    return alerts.escalate_overdue(now)


def wake_worker() -> None:
    """Ask a worker to deliver now. Best effort: the minute's sweep catches a missed wake-up."""
    try:
        current_app.extensions["huey_tasks"]["deliver_outbox"]()
    except Exception:  # the queue is down: the emails wait in the outbox, nothing is lost
        log.warning("could not wake the worker; the outbox is swept every minute", exc_info=True)


@event.listens_for(Session, "before_flush")
def _note_new_email(session: Session, flush_context: Any, instances: Any) -> None:
    if any(isinstance(obj, OutboxEmail) for obj in session.new):
        session.info["wake_worker"] = True


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    woken = session.info.pop("wake_worker", False)
    if woken and has_app_context() and "huey_tasks" in current_app.extensions:
        wake_worker()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("wake_worker", None)
