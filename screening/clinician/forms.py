"""Forms of the review pages: queue filters, notes, one-button actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..models import ReviewStatus
from ..rules import FLAG_IDS, Level

STATUS_LABELS = {status.value: status.label for status in ReviewStatus}
LEVEL_LABELS = {level.value: level.label for level in Level}
NO_FLAGS = "none"


# Dates a filter may name: wide enough for any submission, narrow enough that the day after
# the last one is still a date (9999-12-31 + 1 day would overflow).
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2999, 12, 31)
LARGEST_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def plain_text(form: FlaskForm, field: Field) -> None:
    """Refuse control characters (a NUL byte cannot even be stored in PostgreSQL text)."""
    if field.data and any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in field.data):
        raise ValidationError(f"{field.label.text} cannot contain control characters.")


def reasonable_date(form: FlaskForm, field: Field) -> None:
    if field.data and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise ValidationError(
            f"Enter a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."
        )


def submission_number(form: FlaskForm, field: Field) -> None:
    digits = (field.data or "").strip()
    if digits.isascii() and digits.isdigit() and int(digits) > LARGEST_ID:
        raise ValidationError("There is no submission with this number.")


class ListSelectField(SelectField):
    """A select whose value must be one of its choices, saying so in words."""

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data not in {choice[0] for choice in self.iter_choices()}:
            raise ValidationError(f"Choose a {self.label.text.lower()} from the list.")


class FilterForm(FlaskForm):
    """Filters read from the query string (GET: no CSRF). A value that fails validation keeps
    its message beside the field and filters nothing, so odd input never reaches a query."""

    class Meta:
        csrf = False

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if field.errors:
                field.data = None
        return valid


def _choices(first: str, pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", first), *(SelectChoice(value, label) for value, label in pairs)]


# What each flag is about, for the queue's flag filter (a flag's own title can depend on what
# it found, e.g. the blood-pressure level, so the filter names the flag as a whole).
FLAG_FILTER_LABELS = {
    "suicide_risk": "Suicide risk",
    "mania_or_psychosis_now": "Mania or psychosis now",
    "vascular_history": "Aneurysm, AVM or brain bleed",
    "ketamine_allergy": "Past reaction to ketamine or esketamine",
    "pregnancy": "Pregnant, planning a pregnancy or breastfeeding",
    "under_18": "Age under 18",
    "blood_pressure": "Raised or old blood pressure reading",
    "bp_unknown": "No blood pressure reading given",
    "substance_use": "Alcohol, drug or ketamine use",
    "cardiovascular_history": "Heart or brain conditions",
    "psychosis_history": "Psychosis, own or in the family",
    "bipolar": "Bipolar disorder or past mania",
    "sedating_medication": "Sedating medicines",
    "pressor_medication": "Medicines that can raise blood pressure",
    "other_medical": "Other medical conditions",
    "severe_depression_score": "PHQ-9 total 20 or more",
    "not_determined": "Safety answers not given (unsure, prefer not to say)",
    "sri_trials": "Fewer than 2 failed adequate SRI trials",
    "erp_course": "No adequate ERP course",
    "antidepressant_trials": "Fewer than 2 failed adequate antidepressant trials",
    "off_label": "Off-label (primary condition not depression)",
    "answer_conflict": "Answers that conflict",
    "cost_concern": "Cost or payment concern",
    "transport": "No driver home after treatment",
    "schedule": "Treatment schedule",
    "outside_service_area": "Lives outside the regions the clinic serves",
}


class QueueFilterForm(FilterForm):
    """Filters of the review queue, read from the query string (GET: no CSRF needed)."""

    status = ListSelectField(
        "Status", choices=_choices("Any status", [*STATUS_LABELS.items()]), default=""
    )
    level = ListSelectField(
        "Highest level",
        choices=_choices("Any level", [*LEVEL_LABELS.items(), (NO_FLAGS, "No flags")]),
        default="",
    )
    flag = ListSelectField(
        "Flag",
        choices=_choices("Any flag", [(i, FLAG_FILTER_LABELS[i]) for i in FLAG_IDS]),
        default="",
    )
    submitted_from = DateField("Submitted from", validators=[Optional(), reasonable_date])
    submitted_to = DateField("Submitted to", validators=[Optional(), reasonable_date])
    reference = StringField("Reference code", validators=[Optional(), Length(max=16), plain_text])


class NoteForm(FlaskForm):
    """A new note on a submission."""

    body = TextAreaField(
        "Add a note",
        validators=[
            DataRequired("Write the note before adding it."),
            Length(max=5000, message="A note can be at most 5000 characters."),
        ],
    )


class AuditFilterForm(FilterForm):
    """Filters of the audit log (GET)."""

    action = StringField("Action", validators=[Optional(), Length(max=40), plain_text])
    user = StringField("User email", validators=[Optional(), Length(max=254), plain_text])
    submission = StringField(
        "Submission number",
        validators=[
            Optional(),
            Regexp(r"^\s*[0-9]{1,12}\s*$", message="Enter a submission number in digits."),
            submission_number,
        ],
    )
    date_from = DateField("From", validators=[Optional(), reasonable_date])
    date_to = DateField("To", validators=[Optional(), reasonable_date])
