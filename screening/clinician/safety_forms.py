"""Forms of the safety pages: close an alert, record a contact attempt, alert emails."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..models import ContactMethod, ContactOutcome

METHOD_LABELS = {
    ContactMethod.PHONE.value: "Phone call",
    ContactMethod.TEXT.value: "Text message",
    ContactMethod.EMAIL.value: "Email",
}
OUTCOME_LABELS = {
    ContactOutcome.REACHED.value: "Reached the person",
    ContactOutcome.LEFT_MESSAGE.value: "Left a message",
    ContactOutcome.NO_ANSWER.value: "No answer",
    ContactOutcome.WRONG_NUMBER.value: "Wrong number",
}


class ContactForm(FlaskForm):
    """One attempt to reach the person."""

    at = DateTimeLocalField(
        "When",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired("Enter when you tried, as a date and time.")],
    )
    method = SelectField(
        "How",
        # No DataRequired: a select always sends one of its choices, and WTForms checks it.
        choices=[SelectChoice(value, label) for value, label in METHOD_LABELS.items()],
    )
    outcome = SelectField(
        "Outcome",
        choices=[SelectChoice(value, label) for value, label in OUTCOME_LABELS.items()],
    )
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=2000, message="A note can be at most 2000 characters.")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The time is typed as the clinic's clocks read it; the label says which zone that is.
        self.at.label.text = f"When ({current_app.config['CLINIC_TIMEZONE']} time)"


class CloseAlertForm(FlaskForm):
    """Close an alert: a reason is needed unless someone reached the person."""

    reason = TextAreaField(
        "Reason for closing without reaching the person",
        validators=[Optional(), Length(max=1000, message="At most 1000 characters.")],
    )


class AlertEmailsForm(FlaskForm):
    alert_emails = BooleanField("Email me when an alert opens")
