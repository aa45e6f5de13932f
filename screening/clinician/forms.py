"""Forms of the review pages: queue filters, notes, one-button actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..models import ReviewStatus
from ..rules import FLAG_IDS, Level

STATUS_LABELS = {status.value: status.label for status in ReviewStatus}
LEVEL_LABELS = {level.value: level.label for level in Level}
NO_FLAGS = "none"


def _choices(first: str, pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", first), *(SelectChoice(value, label) for value, label in pairs)]


class QueueFilterForm(FlaskForm):
    """Filters of the review queue, read from the query string (GET: no CSRF needed)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status", choices=_choices("Any status", [*STATUS_LABELS.items()]), default=""
    )
    level = SelectField(
        "Highest level",
        choices=_choices("Any level", [*LEVEL_LABELS.items(), (NO_FLAGS, "No flags")]),
        default="",
    )
    flag = SelectField(
        "Flag",
        choices=_choices("Any flag", [(i, i.replace("_", " ").capitalize()) for i in FLAG_IDS]),
        default="",
    )
    submitted_from = DateField("Submitted from", validators=[Optional()])
    submitted_to = DateField("Submitted to", validators=[Optional()])
    reference = StringField("Reference code", validators=[Optional(), Length(max=16)])


class NoteForm(FlaskForm):
    """A new note on a submission."""

    body = TextAreaField(
        "Add a note",
        validators=[
            DataRequired("Write the note before adding it."),
            Length(max=5000, message="A note can be at most 5000 characters."),
        ],
    )


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (GET)."""

    class Meta:
        csrf = False

    action = StringField("Action", validators=[Optional(), Length(max=40)])
    user = StringField("User email", validators=[Optional(), Length(max=254)])
    submission = StringField("Submission number", validators=[Optional(), Length(max=12)])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])
