"""What a clinician calling someone back needs at a glance: times in the clinic's time zone,
who the person is (name, age, how to reach them) on the queue and at the top of a submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ..crypto import is_undecryptable
from ..extensions import db
from ..models import Submission, utcnow
from ..questionnaire.types import age_on
from ..questionnaire.words import LANGUAGE_NAMES
from . import bp

CONTACT_LABELS = {"email": "Email", "phone": "Phone call", "text": "Text message"}


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["CLINIC_TIMEZONE"])


def clinic_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) time as the clinic reads it: in CLINIC_TIMEZONE, with the zone's
    abbreviation ("2026-01-15 09:30 PST"). Every time on staff pages goes through this."""
    if value is None:
        return ""
    if value.tzinfo is None:  # stored times are UTC; SQLite may hand them back naive
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(clinic_zone())
    return f"{local.strftime(fmt)} {local.tzname()}"


bp.add_app_template_filter(clinic_time, "clinic_time")


def _today() -> date:
    return utcnow().astimezone(clinic_zone()).date()


def age_from(date_of_birth: Any, today: date | None = None) -> int | None:
    """Whole years old today (in the clinic's time zone), or None if the date is missing."""
    if not isinstance(date_of_birth, str):
        return None
    try:
        born = date.fromisoformat(date_of_birth)
    except ValueError:
        return None
    return age_on(born, today or _today())


@dataclass(frozen=True)
class Person:
    """Who a submission is from and how to reach them (from the decrypted answers)."""

    name: str | None
    age: int | None
    date_of_birth: str | None
    phone: str | None
    email: str | None
    preferred_contact: str | None
    language: str | None

    @classmethod
    def from_answers(cls, answers: Any, language: str | None = None) -> Person | None:
        if is_undecryptable(answers) or not isinstance(answers, dict):
            return None
        contact = answers.get("contact") or {}
        about = answers.get("about") or {}
        preferred = contact.get("preferred_contact")
        return cls(
            name=contact.get("full_name") or None,
            age=age_from(about.get("date_of_birth")),
            date_of_birth=about.get("date_of_birth") or None,
            phone=contact.get("phone") or None,
            email=contact.get("email") or None,
            preferred_contact=CONTACT_LABELS.get(preferred, preferred) if preferred else None,
            language=LANGUAGE_NAMES.get(language, language) if language else None,
        )

    @property
    def tel(self) -> str:
        """The phone number for a tel: link: digits and a leading +, nothing else."""
        phone = self.phone or ""
        digits = "".join(ch for ch in phone if ch.isdigit())
        return ("+" if phone.strip().startswith("+") else "") + digits


def language_of(submission: Submission) -> str | None:
    """The language the person answered in, if the submission records one."""
    return getattr(submission, "language", None)


def person_of(submission: Submission) -> Person | None:
    return Person.from_answers(submission.answers, language_of(submission))


def people_of(items: list[Submission]) -> dict[int, Person | None]:
    """Name and age for a page of the queue: one query decrypting only these rows' answers
    (the queue's own query never loads them)."""
    ids = [item.id for item in items]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Submission.id, Submission.answers).where(Submission.id.in_(ids))
    ).all()
    languages = {item.id: language_of(item) for item in items}
    return {row.id: Person.from_answers(row.answers, languages.get(row.id)) for row in rows}


@bp.app_context_processor
def workspace_helpers() -> dict[str, Any]:
    return {"people_of": people_of, "person_of": person_of}
