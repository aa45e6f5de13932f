"""Email delivery: submit -> alert email arrival, and worker throughput (one and two workers).

The workers are real `flask --app screening worker` processes on the Huey queue of
BENCH_REDIS_URL (or TEST_REDIS_URL; without either, the embedded SQLite queue), delivering to
an aiosmtpd server on loopback in this process. References, measured in the same run: smtplib
sending one message on a new connection (latency), and smtplib sending the same messages
back to back on one connection (throughput).
"""

from __future__ import annotations

import math
import os
import smtplib
import statistics
import subprocess
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import func, select

from screening import create_app, mail, services
from screening.extensions import db
from screening.models import OutboxEmail
from screening.questionnaire.schema import PAGES
from tests.helpers import worked_example
from tests.mailserver import SmtpServer

from . import BIN, ROOT
from .context import Context
from .report import Row, rate, ratio, say
from .server import ENCRYPTION_KEYS, SECRET_KEY

SUBMISSIONS = 100
THROUGHPUT_EMAILS = 1000


def _queue_url(scratch: Path) -> tuple[str, str]:
    url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if url:
        return url, "Redis"
    return f"sqlite:///{scratch / 'bench-queue.db'}", "SQLite (no BENCH_REDIS_URL)"


def _settings(database_url: str, queue_url: str, name: str, smtp: SmtpServer) -> dict[str, str]:
    return {
        "SCREENING_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ENCRYPTION_KEYS": ENCRYPTION_KEYS,
        "TASK_QUEUE_URL": queue_url,
        "TASK_QUEUE_NAME": name,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_DEFAULT_SENDER": "bench@clinic.example",
        "ALERT_RECIPIENTS": "oncall@clinic.example",
        "SUBMIT_RATE_LIMIT": "100000 per minute",
        "PUBLIC_BASE_URL": "https://screening.clinic.example",
        "WEB_CONCURRENCY": "1",  # one process each: limits in memory are allowed
    }


def _workers(count: int, env: dict[str, str], log: Path) -> list[subprocess.Popen]:
    command = [str(BIN / "flask"), "--app", "screening", "worker", "--workers", "1"]
    with log.open("a") as out:
        return [
            subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT, stdout=out, stderr=out)
            for _ in range(count)
        ]


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()


def _app(settings: dict[str, str]):
    from config import database_url

    return create_app(
        {
            "ENV_NAME": "production",
            "SQLALCHEMY_DATABASE_URI": database_url(settings["DATABASE_URL"]),
            **{k: v for k, v in settings.items() if k not in {"SCREENING_ENV", "DATABASE_URL"}},
            "ALERT_RECIPIENTS": ("oncall@clinic.example",),
            "WEB_CONCURRENCY": 1,
            "SESSION_COOKIE_SECURE": False,  # the test client speaks plain HTTP
        }
    )


def _urgent_draft_session(app, client) -> None:
    """A complete urgent draft in the database, tied to the client's session."""
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    with app.app_context():
        draft = services.start_draft()
        draft.answers = doc
        draft.completed_pages = [page.slug for page in PAGES]
        db.session.commit()
        token = draft.token
    with client.session_transaction() as session:
        session["draft"] = token


def _csrf(client) -> str:
    import re

    html = client.get("/questionnaire/review").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _wait(smtp: SmtpServer, count: int, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while len(smtp.messages) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(smtp.messages)} of {count} emails arrived")
        time.sleep(0.001)
    return time.perf_counter()


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest rank, as on the safety dashboard."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def _reference_latency(smtp: SmtpServer, repeats: int = 20) -> float:
    times = []
    for number in range(repeats):
        message = EmailMessage()
        message["From"], message["To"] = "bench@clinic.example", f"ref{number}@example.org"
        message["Subject"] = "reference"
        message.set_content("reference\n")
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
            connection.send_message(message)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _reference_throughput(smtp: SmtpServer, count: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
        for number in range(count):
            message = EmailMessage()
            message["From"], message["To"] = "bench@clinic.example", f"r{number}@example.org"
            message["Subject"] = "reference"
            message.set_content("reference body\n" * 10)
            connection.send_message(message)
    return count / (time.perf_counter() - started)


def run(context: Context) -> list[Row]:
    import logging

    logging.getLogger("screening.requests").setLevel(logging.WARNING)  # one line per request
    rows: list[Row] = []
    queue_url, queue_kind = _queue_url(context.scratch)
    smtp = SmtpServer()
    smtp.start()
    log = context.log("mail")
    log.write_text("")
    try:
        with context.database() as url:
            name = f"bench-{uuid.uuid4().hex[:8]}"
            settings = _settings(url, queue_url, name, smtp)
            app = _app(settings)
            with app.app_context():
                db.create_all()
            app.extensions["huey"].flush()
            rows += _latency(app, settings, smtp, log, queue_kind)
            rows += _throughput(app, settings, smtp, log)
            app.extensions["huey"].flush()
            with app.app_context():
                db.engine.dispose()
    finally:
        smtp.stop()
    return rows


def _latency(app, settings, smtp: SmtpServer, log: Path, queue_kind: str) -> list[Row]:
    say(f"  worker queue: {queue_kind}; {SUBMISSIONS} urgent submissions, one at a time")
    workers = _workers(1, settings, log)
    client = app.test_client()
    try:
        time.sleep(3)  # the worker starts (imports, connects)
        latencies = []
        for _ in range(SUBMISSIONS):
            _urgent_draft_session(app, client)
            token = _csrf(client)
            before = len(smtp.messages)
            started = time.perf_counter()
            response = client.post("/questionnaire/submit", data={"csrf_token": token})
            assert response.status_code == 302, response.status_code
            # The alert and the person's confirmation: the alert is the one timed.
            deadline = time.monotonic() + 30
            while not any(m["To"] == "oncall@clinic.example" for m in smtp.messages[before:]):
                if time.monotonic() > deadline:
                    raise RuntimeError("the alert email never arrived")
                time.sleep(0.001)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        _stop(workers)
    reference = _reference_latency(smtp)
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    say(
        f"  submit -> alert email: p50 {p50:.0f} ms, p99 {p99:.0f} ms "
        f"(one smtplib send on a new connection: {reference:.1f} ms)"
    )
    return [
        Row(
            "submit -> alert email p50",
            f"{p50:.0f} ms",
            ratio(p50, reference),
            "vs one direct smtplib send",
        ),
        Row(
            "submit -> alert email p99",
            f"{p99:.0f} ms",
            ratio(p99, reference),
            "vs one direct smtplib send",
        ),
    ]


def _throughput(app, settings, smtp: SmtpServer, log: Path) -> list[Row]:
    reference = _reference_throughput(smtp, THROUGHPUT_EMAILS)
    say(f"  smtplib alone, one connection: {rate(reference)} emails/s")
    rows = []
    for count in (1, 2):
        before = len(smtp.messages)
        workers = _workers(count, settings, log)
        try:
            time.sleep(3)  # the workers start (imports, connections): not counted
            with app.app_context():
                for number in range(THROUGHPUT_EMAILS):
                    mail.queue_email(
                        f"p{number}@example.org",
                        "confirmation",
                        reference="ACDE3467",
                        clinic_name="the clinic",
                        clinic_phone="",
                        clinic_email="",
                        clinic_hours="",
                        review_days=2,
                    )
                started = time.perf_counter()
                db.session.commit()  # the commit wakes the workers
                for _ in range(count - 1):  # one wake-up per worker
                    app.extensions["huey_tasks"]["deliver_outbox"]()
            finished = _wait(smtp, before + THROUGHPUT_EMAILS, timeout=300)
        finally:
            _stop(workers)
        with app.app_context():
            left = db.session.scalar(
                select(func.count()).select_from(OutboxEmail).where(OutboxEmail.sent_at.is_(None))
            )
        per_second = THROUGHPUT_EMAILS / (finished - started)
        say(f"  {count} worker(s): {rate(per_second)} emails/s, {left} unsent")
        rows.append(
            Row(
                f"worker throughput, {count} worker(s)",
                f"{rate(per_second)} emails/s",
                ratio(per_second, reference),
                "vs smtplib alone on one connection",
            )
        )
    return rows
