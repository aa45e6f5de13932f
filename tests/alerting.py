"""What the alert and call-back tests share: an urgent document, the clinic's alert settings,
the outbox and the one alert."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from screening.extensions import db
from screening.models import Alert, OutboxEmail
from tests.helpers import worked_example


def configure(app: Flask) -> Flask:
    """Alert recipients and the clinic's contact details, as a clinic sets them."""
    app.config.update(
        ALERT_RECIPIENTS=("oncall@clinic.example",),
        ALERT_ESCALATION_RECIPIENTS=("lead@clinic.example",),
        CLINIC_PHONE="555-010-2000",
        CLINIC_EMAIL="hello@clinic.example",
        CLINIC_HOURS="Monday to Friday, 8 am to 6 pm",
    )
    return app


def urgent_doc() -> dict:
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    return doc


def outbox(app: Flask, kind: str | None = None) -> list[OutboxEmail]:
    with app.app_context():
        query = select(OutboxEmail).order_by(OutboxEmail.id)
        if kind:
            query = query.where(OutboxEmail.kind == kind)
        return list(db.session.scalars(query))


def the_alert(app: Flask) -> Alert:
    with app.app_context():
        return db.session.scalars(select(Alert)).one()
