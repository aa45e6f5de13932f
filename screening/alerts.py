"""Safety alerts: opened with the submission or callback request that caused them, emailed,
acknowledged, escalated when nobody acknowledges in time, closed with an outcome.

Like services.py, these add and flush; the caller commits (the clock commits per alert).
Emails carry the reference code, the level and a link that needs sign-in: nothing else.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from . import mail, resume, services
from .extensions import db
from .models import (
    Alert,
    AlertState,
    CallbackRequest,
    ContactAttempt,
    ContactOutcome,
    Submission,
    User,
    utcnow,
)
from .rules.levels import Level

log = logging.getLogger(__name__)


def alert_levels() -> set[str]:
    """Levels that open an alert: always urgent; high when ALERT_LEVELS names it."""
    return {Level.URGENT} | ({Level.HIGH} & set(current_app.config["ALERT_LEVELS"]))


def clinic_details() -> dict[str, object]:
    """The clinic's name and contact details, for emails (pages read config directly)."""
    config = current_app.config
    return {
        "clinic_name": config["CLINIC_NAME"],
        "clinic_phone": config["CLINIC_PHONE"],
        "clinic_email": config["CLINIC_EMAIL"],
        "clinic_hours": config["CLINIC_HOURS"],
        "review_days": config["REVIEW_DAYS"],
    }


def alert_recipients() -> list[str]:
    """ALERT_RECIPIENTS and every active staff account that opted in, once each."""
    opted_in = db.session.scalars(
        select(User.email).where(User.alert_emails.is_(True), User.active.is_(True))
    )
    return list(dict.fromkeys([*current_app.config["ALERT_RECIPIENTS"], *opted_in]))


def alert_link(alert: Alert) -> str:
    return mail.public_url("clinician.alerts") + f"#alert-{alert.id}"


def _open(alert: Alert) -> Alert:
    db.session.add(alert)
    db.session.flush()
    recipients = alert_recipients()
    if recipients:
        mail.queue_email(
            recipients,
            "alert",
            reference=alert.reference,
            level=alert.level,
            link=alert_link(alert),
            **clinic_details(),
        )
    else:
        log.warning("alert %s opened with no ALERT_RECIPIENTS and nobody opted in", alert.id)
    return alert


def on_submitted(submission: Submission) -> Alert | None:
    """After a questionnaire is submitted: the patient's confirmation email, and an alert
    when its highest level calls for one (same transaction)."""
    email = ((submission.answers or {}).get("contact") or {}).get("email")
    if email:
        mail.queue_email(
            email,
            "confirmation",
            language=submission.language,  # the patient's, like the summary
            reference=submission.reference,
            summary_link=resume.summary_link_url(submission),
            summary_link_days=current_app.config["SUMMARY_LINK_DAYS"],
            **clinic_details(),
        )
    if submission.highest_level not in alert_levels():
        return None
    return _open(
        Alert(
            level=submission.highest_level,
            reference=submission.reference,
            submission_id=submission.id,
        )
    )


def request_callback(phone: str, first_name: str | None, request_key: str) -> CallbackRequest:
    """Store a crisis-page callback request and open an urgent alert for it."""
    callback = CallbackRequest(
        reference=services.new_reference(),
        request_key=request_key,
        phone=phone,
        first_name=first_name or None,
    )
    db.session.add(callback)
    db.session.flush()
    _open(Alert(level=Level.URGENT, reference=callback.reference, callback_request_id=callback.id))
    return callback


def acknowledge(alert: Alert, user: User, now: datetime) -> bool:
    """Open -> acknowledged by `user`; False when someone already had (a double click, or
    two people at once: the conditional update lets one through)."""
    done = db.session.execute(
        update(Alert)
        .where(Alert.id == alert.id, Alert.state == AlertState.OPEN.value)
        .values(
            state=AlertState.ACKNOWLEDGED.value, acknowledged_by_id=user.id, acknowledged_at=now
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(alert)
    return done == 1


def reached(alert: Alert) -> bool:
    """Whether a contact attempt reached the person the alert is about."""
    return first_reached_at(alert) is not None


def first_reached_at(alert: Alert) -> datetime | None:
    subject = (
        ContactAttempt.submission_id == alert.submission_id
        if alert.submission_id
        else ContactAttempt.callback_request_id == alert.callback_request_id
    )
    return db.session.scalar(
        select(ContactAttempt.at)
        .where(subject, ContactAttempt.outcome == ContactOutcome.REACHED.value)
        .order_by(ContactAttempt.at)
        .limit(1)
    )


def close(alert: Alert, user: User, now: datetime, reason: str | None) -> bool:
    """Close an alert: only after the person was reached, or with a written reason."""
    if alert.state == AlertState.CLOSED.value:
        return False
    if not reached(alert) and not (reason or "").strip():
        raise ValueError("no reached contact and no reason")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by_id = now, user.id
    alert.state = AlertState.CLOSED.value
    alert.closed_at, alert.closed_by_id = now, user.id
    alert.close_reason = (reason or "").strip() or None
    db.session.flush()
    return True


def escalate_overdue(now: datetime) -> int:
    """Email ALERT_ESCALATION_RECIPIENTS once about each alert still open after
    ALERT_ESCALATE_MINUTES; commits each, so two clocks never escalate one alert twice."""
    config = current_app.config
    cutoff = now - timedelta(minutes=config["ALERT_ESCALATE_MINUTES"])
    overdue = select(Alert.id).where(
        Alert.state == AlertState.OPEN.value,
        Alert.escalated_at.is_(None),
        Alert.created_at <= cutoff,
    )
    escalated = 0
    for alert_id in list(db.session.scalars(overdue.order_by(Alert.id))):
        claimed = db.session.execute(
            update(Alert)
            .where(
                Alert.id == alert_id,
                Alert.state == AlertState.OPEN.value,
                Alert.escalated_at.is_(None),
            )
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        alert = db.session.get(Alert, alert_id)
        assert alert is not None
        recipients = list(config["ALERT_ESCALATION_RECIPIENTS"])
        if recipients:
            mail.queue_email(
                recipients,
                "alert_escalated",
                reference=alert.reference,
                level=alert.level,
                minutes=config["ALERT_ESCALATE_MINUTES"],
                link=alert_link(alert),
                **clinic_details(),
            )
        else:
            log.warning("alert %s escalated but ALERT_ESCALATION_RECIPIENTS is empty", alert.id)
        services.audit(
            "alert_escalated",
            user=None,
            submission_id=alert.submission_id,
            detail=f"alert {alert.id}",
        )
        db.session.commit()
        escalated += 1
    return escalated


def waiting_since(alert: Alert, now: datetime | None = None) -> timedelta:
    return (now or utcnow()) - alert.created_at
