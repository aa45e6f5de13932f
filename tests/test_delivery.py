"""Email delivery: the Huey worker sends outbox rows to a real SMTP server (aiosmtpd on
loopback), retries while it is down, sends each row once with several workers, and survives
being killed mid-delivery. Runs on SQLite and PostgreSQL, with the queue on its embedded SQLite
default and, when TEST_REDIS_URL is set, on Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from screening import create_app, mail, outbox
from screening.extensions import db
from screening.models import Alert, OutboxEmail, utcnow
from tests.helpers import complete_questionnaire, submit, worked_example
from tests.mailserver import SmtpServer, running_worker, wait_until

QUEUES = ["sqlite"] + (["redis"] if os.environ.get("TEST_REDIS_URL") else [])
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def worker_app(database_url: str, queue: str, tmp_path: Path, name: str, **settings) -> Flask:
    """An app on the test database whose Huey queue is real: SQLite in tmp_path, or Redis."""
    url = os.environ["TEST_REDIS_URL"] if queue == "redis" else f"sqlite:///{tmp_path / 'q.db'}"
    return create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TASK_QUEUE_URL": url,
            "TASK_QUEUE_NAME": name,
            "PUBLIC_BASE_URL": "https://screening.clinic.example",
            **settings,
        }
    )


@pytest.fixture(params=QUEUES)
def queued_app(request, app: Flask, smtp: SmtpServer, tmp_path: Path) -> Iterator[Flask]:
    """The test app with a real queue (a Huey name of its own) and mail to the SMTP server."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    url = os.environ["TEST_REDIS_URL"] if request.param == "redis" else f"sqlite:///{tmp_path}/q.db"
    app.config.update(
        TASK_QUEUE_URL=url,
        TASK_QUEUE_NAME=name,
        MAIL_RETRY_SECONDS=0.3,
        ALERT_RECIPIENTS=("oncall@clinic.example",),
        PUBLIC_BASE_URL="https://screening.clinic.example",
        **smtp.settings(),
    )
    from screening import tasks

    tasks.init_app(app)  # the queue the settings above name
    yield app
    app.extensions["huey"].flush()


def urgent_doc() -> dict:
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    return doc


def pending(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(OutboxEmail).where(OutboxEmail.sent_at.is_(None))
        )


def urgent_emails(app: Flask, smtp: SmtpServer, language: str = "en") -> tuple[dict, dict]:
    """An urgent questionnaire answered in `language` and submitted: the document, and the two
    emails it causes (the person's and the on-call's) by recipient, as they arrived."""
    client = app.test_client()
    client.get(f"/language/{language}?next=/")
    doc = urgent_doc()
    complete_questionnaire(client, doc)
    with running_worker(app):
        assert submit(client).status_code == 302
        messages = smtp.wait_for(2, timeout=10)
    return doc, {m["To"]: m for m in messages}


def test_an_urgent_questionnaire_opens_an_alert_whose_email_arrives_without_health_information(
    queued_app: Flask, smtp: SmtpServer
):
    doc, by_recipient = urgent_emails(queued_app, smtp)
    assert sorted(by_recipient) == sorted([doc["contact"]["email"], "oncall@clinic.example"])
    with queued_app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        reference = alert.reference
    staff = by_recipient["oncall@clinic.example"]
    body = staff.get_payload(decode=True).decode()
    assert staff["Subject"] == f"Urgent alert: reference {reference}"
    assert (
        reference in body and f"An urgent safety alert is open for reference {reference}." in body
    )
    assert f"https://screening.clinic.example/clinician/alerts#alert-{alert.id}" in body
    patient = by_recipient[doc["contact"]["email"]].get_payload(decode=True).decode()
    assert reference in patient and "988" in patient
    private = [doc["contact"]["full_name"], "PHQ", "score", "depress", "answered", "urgent"]
    # The reference code is left out of the search: a random code may spell "PHQ" or "GAD".
    for word in private:  # the patient's email is the same whatever the answers
        assert word.lower() not in patient.replace(reference, "").lower()
    for message in (body, staff["Subject"]):
        for word in [*private[:-1], doc["contact"]["email"], "suicid", "plan"]:
            assert word.lower() not in message.replace(reference, "").lower()
    assert pending(queued_app) == 0


def test_a_spanish_questionnaire_gets_its_confirmation_in_spanish_and_staff_stay_english(
    queued_app: Flask, smtp: SmtpServer
):
    doc, by_recipient = urgent_emails(queued_app, smtp, "es")
    with queued_app.app_context():
        reference = db.session.scalars(select(Alert)).one().reference
    patient = by_recipient[doc["contact"]["email"]]
    body = patient.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert patient["Subject"] == f"Recibimos su cuestionario: referencia {reference}"
    assert (
        f"Gracias. La clínica recibió su cuestionario.\n\nSu código de referencia: {reference}"
        in (body)
    )
    assert "Llame al 988 y oprima 2 para hablar en español" in body  # SPANISH.md §3
    assert "La clínica no es un servicio de emergencias." in body
    assert "https://screening.clinic.example/questionnaire/summary/" in body
    for english in ("Thank you", "reference code", "What happens next", "Call or text 988"):
        assert english not in body
    private = [doc["contact"]["full_name"], "PHQ", "GAD", "puntaje", "depres", "urgente", "plan"]
    for word in [*private, "ocd", "TOC", "ketamina", doc["about"]["date_of_birth"]]:
        assert word.lower() not in (patient["Subject"] + body).replace(reference, "").lower()
    staff = by_recipient["oncall@clinic.example"]
    assert staff["Subject"] == f"Urgent alert: reference {reference}"  # staff read English


def test_smtp_down_at_submit_then_up_delivers_each_email_exactly_once(
    queued_app: Flask, smtp: SmtpServer
):
    smtp.stop()
    client = queued_app.test_client()
    complete_questionnaire(client, urgent_doc())
    with running_worker(queued_app):
        assert submit(client).status_code == 302
        # Stored, with its alert open and visible at once, while the email waits.
        with queued_app.app_context():
            assert db.session.scalars(select(Alert)).one().state == "open"

        def failed_once() -> bool:
            with queued_app.app_context():
                return all(
                    row.attempts >= 1 and row.last_error
                    for row in db.session.scalars(select(OutboxEmail))
                )

        wait_until(failed_once)
        smtp.start()
        smtp.wait_for(2, timeout=15)
        wait_until(lambda: pending(queued_app) == 0)
    assert Counter(m["X-Outbox-Id"] for m in smtp.messages) == Counter({"1": 1, "2": 1})


def test_two_workers_deliver_200_emails_once_each(
    app: Flask, database_url: str, smtp: SmtpServer, tmp_path: Path
):
    queue = QUEUES[-1]  # Redis when there is one: what production runs several workers on
    name = f"test-{uuid.uuid4().hex[:12]}"
    first, second = (
        worker_app(database_url, queue, tmp_path, name, **smtp.settings()) for _ in range(2)
    )
    with first.app_context():
        for number in range(200):
            mail.queue_email(
                f"person{number}@example.org",
                "confirmation",
                reference="ACDE3467",
                clinic_name="the clinic",
                clinic_phone="",
                clinic_email="",
                clinic_hours="",
                review_days=2,
            )
        db.session.commit()
        for _ in range(6):  # several wake-ups, so both workers compete for the same rows
            first.extensions["huey_tasks"]["deliver_outbox"]()
    with running_worker(first, threads=2), running_worker(second, threads=2):
        smtp.wait_for(200, timeout=60)
        wait_until(lambda: pending(first) == 0)
    ids = Counter(m["X-Outbox-Id"] for m in smtp.messages)
    assert len(ids) == 200 and set(ids.values()) == {1}
    first.extensions["huey"].flush()
    for each in (first, second):
        with each.app_context():
            db.engine.dispose()


def test_a_worker_killed_mid_delivery_delivers_after_restart_without_a_duplicate(
    app: Flask, database_url: str, smtp: SmtpServer, tmp_path: Path
):
    with app.app_context():
        mail.queue_email(
            "person@example.org",
            "confirmation",
            reference="ACDE3467",
            clinic_name="the clinic",
            clinic_phone="",
            clinic_email="",
            clinic_hours="",
            review_days=2,
        )
        db.session.commit()
    env = {
        **os.environ,
        "SCREENING_ENV": "test",
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_DEFAULT_SENDER": "screening@clinic.example",
    }
    command = [sys.executable, "-m", "flask", "--app", "screening", "worker", "--workers", "1"]
    smtp.inbox.hold = __import__("threading").Event()  # the server stalls at RCPT
    worker = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert smtp.inbox.rcpt_seen.wait(20), "the worker never started sending"
        worker.send_signal(signal.SIGKILL)  # killed in the middle of the SMTP conversation
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    smtp.inbox.hold.set()
    assert smtp.messages == []
    with app.app_context():
        row = db.session.scalars(select(OutboxEmail)).one()
        assert row.sent_at is None and row.claim_token is not None
        # Time passes: the dead worker's claim is older than its lease.
        db.session.execute(
            update(OutboxEmail).values(
                claimed_at=utcnow() - timedelta(seconds=outbox.CLAIM_SECONDS + 1)
            )
        )
        db.session.commit()
    restarted = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        smtp.wait_for(1, timeout=30)
        wait_until(lambda: pending(app) == 0)
    finally:
        restarted.send_signal(signal.SIGINT)
        restarted.wait(10)
    assert [m["To"] for m in smtp.messages] == ["person@example.org"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS must be true or false"),
        ({"MAIL_USE_TLS": "1", "MAIL_USE_SSL": "true"}, "cannot both be true"),
        ({"MAIL_PORT": "smtp"}, "MAIL_PORT must be a number"),
        ({"MAIL_DEFAULT_SENDER": ""}, "MAIL_DEFAULT_SENDER must be an email address"),
        ({"MAIL_USERNAME": "someone"}, "set both or neither"),
    ],
)
def test_bad_mail_settings_stop_the_worker_at_start_with_a_clear_message(
    app: Flask, settings: dict, message: str
):
    app.config.update(
        {
            "MAIL_SERVER": "smtp.clinic.example",
            "MAIL_DEFAULT_SENDER": "s@clinic.example",
            **settings,
        }
    )
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_mail_flags_read_true_false_one_and_zero(app: Flask):
    for raw, expected in (("true", True), ("1", True), ("False", False), ("0", False)):
        app.config.update(
            MAIL_SERVER="smtp.example", MAIL_DEFAULT_SENDER="a@b.example", MAIL_USE_TLS=raw
        )
        assert outbox.mail_settings(app.config, app.instance_path).use_tls is expected


def test_development_without_a_server_prints_and_keeps_each_email(
    app: Flask, tmp_path: Path, capsys
):
    app.config.update(MAIL_SERVER="", MAIL_DIR=str(tmp_path / "mail"))
    with app.app_context():
        mail.queue_email(
            "person@example.org",
            "confirmation",
            reference="ACDE3467",
            clinic_name="the clinic",
            clinic_phone="",
            clinic_email="",
            clinic_hours="",
            review_days=2,
        )
        db.session.commit()
        result = outbox.deliver_due(outbox.mail_settings(app.config, app.instance_path))
        assert result.sent == 1
        assert db.session.scalars(select(OutboxEmail)).one().sent_at is not None
    printed = capsys.readouterr().out
    assert "To: person@example.org" in printed and "ACDE3467" in printed
    kept = list((tmp_path / "mail").glob("*.eml"))
    assert len(kept) == 1 and "ACDE3467" in kept[0].read_text()


def test_production_refuses_to_start_without_a_mail_server():
    from cryptography.fernet import Fernet

    with pytest.raises(RuntimeError, match="MAIL_SERVER"):
        create_app(
            {
                "ENV_NAME": "production",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "SECRET_KEY": "x" * 40,
                "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "MAIL_SERVER": "",
            }
        )
