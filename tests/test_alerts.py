"""Urgent alerts: opened with the submission, listed, acknowledged once, escalated once when
nobody acknowledges in time (time controlled here), closed with a reached contact or a reason;
contact attempts; honest next steps. (The crisis page's call-back request: test_callbacks.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from screening import alerts
from screening.extensions import db
from screening.models import Alert, AuditEvent, User
from screening.models import utcnow as now
from tests.alerting import configure, outbox, the_alert, urgent_doc
from tests.helpers import complete_questionnaire, csrf_token, post_form, submit, worked_example

ALERTS = "/clinician/alerts"


def high_doc() -> dict:
    doc = worked_example()
    doc["medical"]["ketamine_allergy"] = "yes"
    return doc


@pytest.fixture
def configured(app: Flask) -> Flask:
    return configure(app)


def submit_through_pages(client: FlaskClient, doc: dict) -> str:
    complete_questionnaire(client, doc)
    response = submit(client)
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_urgent_submission_opens_one_alert_in_its_transaction_and_tells_the_person_honestly(
    configured: Flask, client: FlaskClient
):
    page = submit_through_pages(client, urgent_doc())
    assert "aims to <strong>call you today</strong>" in page
    assert "Monday to Friday, 8 am to 6 pm" in page
    assert "If nobody from the clinic has called you" in page
    assert 'href="tel:555-010-2000"' in page
    assert "within 2 working days" not in page
    alert = the_alert(configured)
    assert (alert.level, alert.state) == ("urgent", "open")
    staff = outbox(configured, "alert")
    assert [row.recipient for row in staff] == ["oncall@clinic.example"]
    assert alert.reference in staff[0].subject
    patient = outbox(configured, "confirmation")
    assert [row.recipient for row in patient] == [urgent_doc()["contact"]["email"]]
    assert alert.reference in patient[0].body and "555-010-2000" in patient[0].body


def test_a_non_urgent_submission_gets_review_days_and_no_alert(
    configured: Flask, client: FlaskClient
):
    configured.config["REVIEW_DAYS"] = 3
    page = submit_through_pages(client, high_doc())
    assert "A clinician reads your answers within 3 working days." in page
    assert "call you today" not in page
    assert "hello@clinic.example" in page  # contact details on the summary
    assert outbox(configured, "alert") == []
    assert len(outbox(configured, "confirmation")) == 1


def test_high_opens_an_alert_when_alert_levels_include_it(configured: Flask, client: FlaskClient):
    configured.config["ALERT_LEVELS"] = ("urgent", "high")
    submit_through_pages(client, high_doc())
    assert the_alert(configured).level == "high"


def test_alerts_page_needs_sign_in_and_the_email_link_lands_there(
    configured: Flask, client: FlaskClient, make_user
):
    response = client.get(ALERTS)
    assert response.status_code == 302 and "/clinician/sign-in" in response.headers["Location"]
    make_user(email="c@example.org")
    signed_in = post_form(
        client,
        response.headers["Location"],
        {"email": "c@example.org", "password": "correct horse battery"},
    )
    assert signed_in.headers["Location"].endswith(ALERTS)


def test_acknowledge_once_from_the_alerts_page_with_waiting_time_and_audit(
    configured: Flask, client: FlaskClient, make_submission, sign_in_as
):
    with configured.app_context():
        submission_id = make_submission(urgent_doc(), created_at=now() - timedelta(minutes=12))
    with configured.app_context():
        from screening.models import Submission

        alert = alerts.on_submitted(db.session.get(Submission, submission_id))
        alert.created_at = now() - timedelta(minutes=12)
        db.session.commit()
    user_id = sign_in_as()
    page = client.get(ALERTS).get_data(as_text=True)
    assert "1 open alert." in page
    assert "waiting 12 min" in page
    assert "Acknowledge alert" in page
    token = csrf_token(page)
    url = f"/clinician/alerts/{the_alert(configured).id}/acknowledge"
    first = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    second = client.post(url, data={"csrf_token": token}, follow_redirects=True)  # double click
    assert "acknowledged: it is yours" in first.get_data(as_text=True)
    assert "already acknowledged by clinician@example.org" in second.get_data(as_text=True)
    alert = the_alert(configured)
    assert alert.state == "acknowledged" and alert.acknowledged_by_id == user_id
    with configured.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("alert_acknowledged") == 1
    page = client.get(ALERTS).get_data(as_text=True)
    assert "0 open alerts." in page and "Acknowledged by clinician@example.org" in page


def test_acknowledge_from_the_submission_page(configured: Flask, client: FlaskClient, sign_in_as):
    submit_through_pages(client, urgent_doc())
    sign_in_as()
    alert = the_alert(configured)
    url = f"/clinician/submissions/{alert.submission_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Safety alert" in page and f"Acknowledge alert {alert.reference}" in page
    response = client.post(
        f"/clinician/alerts/{alert.id}/acknowledge",
        data={"csrf_token": csrf_token(page), "next": url},
    )
    assert response.headers["Location"].endswith(url)
    assert "Acknowledged by clinician@example.org" in client.get(url).get_data(as_text=True)


def test_escalation_after_the_configured_minutes_once_and_never_when_acknowledged(
    configured: Flask, client: FlaskClient, make_submission, make_user
):
    configured.config["ALERT_ESCALATE_MINUTES"] = 30
    from screening.models import Submission

    with configured.app_context():
        opened = now()
        ids = [make_submission(urgent_doc()) for _ in range(2)]
        created = [alerts.on_submitted(db.session.get(Submission, i)) for i in ids]
        for alert in created:
            alert.created_at = opened
        db.session.commit()
        user = db.session.get(User, make_user())
        alerts.acknowledge(created[1], user, opened + timedelta(minutes=5))
        db.session.commit()
        late, acknowledged = created[0].id, created[1].id
        first_alert_emails = len(outbox(configured, "alert"))
        assert alerts.escalate_overdue(opened + timedelta(minutes=29)) == 0
        assert alerts.escalate_overdue(opened + timedelta(minutes=31)) == 1
        assert alerts.escalate_overdue(opened + timedelta(minutes=90)) == 0  # once
    escalations = outbox(configured, "alert_escalated")
    assert [row.recipient for row in escalations] == ["lead@clinic.example"]
    assert "not been acknowledged" in escalations[0].body and "30 minutes" in escalations[0].body
    assert len(outbox(configured, "alert")) == first_alert_emails  # first recipients not again
    with configured.app_context():
        states = {a.id: (a.state, a.escalated_at) for a in db.session.scalars(select(Alert))}
    assert states[late][1] is not None
    assert states[acknowledged] == ("acknowledged", None)


def test_the_workers_minute_task_runs_the_clock_from_the_database(
    configured: Flask, make_submission
):
    """A restarted worker needs nothing but the database: the minute's task escalates."""
    from screening.models import Submission

    with configured.app_context():
        alert = alerts.on_submitted(db.session.get(Submission, make_submission(urgent_doc())))
        alert.created_at = now() - timedelta(minutes=45)
        db.session.commit()
    configured.extensions["huey_tasks"]["every_minute"].call_local()
    assert the_alert(configured).escalated_at is not None
    assert len(outbox(configured, "alert_escalated")) == 1


def test_escalated_alerts_show_as_escalated(
    configured: Flask, client: FlaskClient, make_submission, sign_in_as
):
    from screening.models import Submission

    with configured.app_context():
        alert = alerts.on_submitted(db.session.get(Submission, make_submission(urgent_doc())))
        alert.created_at = now() - timedelta(minutes=40)
        db.session.commit()
        alerts.escalate_overdue(now())
    sign_in_as()
    assert "<strong>escalated</strong>" in client.get(ALERTS).get_data(as_text=True)


def contact(client: FlaskClient, submission_id: int, **fields) -> object:
    page = client.get(f"/clinician/submissions/{submission_id}").get_data(as_text=True)
    data = {"at": "2026-11-22T10:15", "method": "phone", "outcome": "reached", "note": ""}
    data.update(fields)
    return client.post(
        f"/clinician/submissions/{submission_id}/contacts",
        data={"csrf_token": csrf_token(page), **data},
    )


def test_contact_attempts_are_recorded_encrypted_audited_and_checked(
    configured: Flask, client: FlaskClient, sign_in_as
):
    submit_through_pages(client, urgent_doc())
    sign_in_as()
    alert = the_alert(configured)
    bad = contact(client, alert.submission_id, at="tomorrow", outcome="")
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Enter when you tried" in html and 'id="at-error"' in html
    ok = contact(
        client, alert.submission_id, outcome="no_answer", note="Rang twice, voicemail full"
    )
    assert ok.status_code == 302
    page = client.get(f"/clinician/submissions/{alert.submission_id}").get_data(as_text=True)
    assert "No answer" in page and "Rang twice, voicemail full" in page
    with configured.app_context():
        raw = db.session.execute(text("SELECT note FROM contact_attempt")).scalar_one()
        assert "voicemail" not in raw
        assert (
            db.session.scalar(
                select(AuditEvent.detail).where(AuditEvent.action == "contact_recorded")
            )
            == "phone: no_answer"
        )


def test_an_alert_closes_only_with_a_reached_contact_or_a_written_reason(
    configured: Flask, client: FlaskClient, sign_in_as
):
    submit_through_pages(client, urgent_doc())
    sign_in_as()
    alert = the_alert(configured)
    page = client.get(ALERTS).get_data(as_text=True)
    close = f"/clinician/alerts/{alert.id}/close"
    refused = client.post(close, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "stays open" in refused.get_data(as_text=True)
    assert the_alert(configured).state == "open"
    contact(client, alert.submission_id, outcome="reached")
    client.post(close, data={"csrf_token": csrf_token(page)})
    closed = the_alert(configured)
    assert closed.state == "closed" and closed.closed_at is not None

    # A second alert, closed with a reason instead.
    with configured.app_context():
        again = Alert(level="urgent", reference="ACDE3467", submission_id=alert.submission_id)
        db.session.add(again)
        db.session.commit()
        other_id = again.id
    with configured.app_context():
        db.session.execute(text("DELETE FROM contact_attempt"))
        db.session.commit()
    client.post(
        f"/clinician/alerts/{other_id}/close",
        data={"csrf_token": csrf_token(page), "reason": "Duplicate of an alert already handled"},
    )
    with configured.app_context():
        other = db.session.get(Alert, other_id)
        assert other.state == "closed"
        assert other.close_reason == "Duplicate of an alert already handled"


def test_the_queue_shows_for_urgent_items_whether_anyone_was_reached(
    configured: Flask, client: FlaskClient, sign_in_as
):
    submit_through_pages(client, urgent_doc())
    sign_in_as()
    alert = the_alert(configured)
    queue = client.get("/clinician/").get_data(as_text=True)
    assert "Not reached yet" in queue
    contact(client, alert.submission_id, outcome="reached")
    queue = client.get("/clinician/").get_data(as_text=True)
    assert "Reached" in queue and "Not reached yet" not in queue


def test_staff_who_opt_in_get_alert_emails(configured: Flask, client: FlaskClient, sign_in_as):
    sign_in_as(email="optin@example.org")
    page = client.get(ALERTS).get_data(as_text=True)
    response = client.post(
        "/clinician/alerts/emails", data={"csrf_token": csrf_token(page), "alert_emails": "y"}
    )
    assert response.status_code == 302
    client.post("/clinician/sign-out", data={"csrf_token": csrf_token(page)})
    patient = configured.test_client()
    submit_through_pages(patient, urgent_doc())
    recipients = sorted(row.recipient for row in outbox(configured, "alert"))
    assert recipients == ["oncall@clinic.example", "optin@example.org"]


def test_purging_a_reviewed_submission_takes_its_alert_and_contacts_with_it(
    configured: Flask, runner, make_submission, make_user
):
    from screening.models import ContactAttempt, Submission

    staff = make_user()
    old = make_submission(urgent_doc(), created_at=now() - timedelta(days=400), status="reviewed")
    with configured.app_context():
        alert = alerts.on_submitted(db.session.get(Submission, old))
        db.session.add(
            ContactAttempt(
                submission_id=old, author_id=staff, method="phone", outcome="reached", at=now()
            )
        )
        db.session.commit()
    configured.config["RETENTION_DAYS"] = 365
    result = runner.invoke(args=["purge-expired"])
    assert "1 reviewed submissions" in result.output
    with configured.app_context():
        assert db.session.scalars(select(Alert)).all() == []
        assert db.session.scalars(select(ContactAttempt)).all() == []
    assert alert is not None
