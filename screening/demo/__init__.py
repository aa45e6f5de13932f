"""Demo answer documents for the review queue: fictional people, canonical documents (no Flask).

Every document validates, and together they raise every flag of FLAGS.md at every level it can
reach. `outside_service_area` needs the clinic to set SERVED_REGIONS: with the default (empty,
every region served) the document from outside the US raises nothing for it.

The people are in `people.py`, the answers they share and their ages in `answers.py`.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..questionnaire.schema import with_every_key
from .answers import CREATED_WINDOW, DEFAULTS
from .people import DEMO_PEOPLE

__all__ = ["DEMO_PEOPLE", "demo_created_times", "demo_document", "demo_documents"]


def _trial(row: tuple[str, float | None, int | None, str, bool]) -> dict[str, Any]:
    medication, dose, weeks, outcome, current = row
    return {
        "medication": medication,
        "max_daily_dose_mg": dose,
        "duration_weeks": weeks,
        "outcome": outcome,
        "current": current,
    }


def _section(person: dict[str, Any], name: str) -> dict[str, Any]:
    return {**DEFAULTS.get(name, {}), **person.get(name, {})}


def demo_document(person: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The canonical answer document of one DEMO_PEOPLE entry, evaluated on as_of."""
    name, email, phone, preferred = person["contact"]
    sex = person["sex"]
    symptoms = {"ybocs_last_score": None, **_section(person, "symptoms")}
    item9_positive = symptoms["phq9"][8] >= 1
    safety = {"suicide_plan_or_intent": "no" if item9_positive else None}
    safety |= _section(person, "safety")
    doc = {
        "questionnaire_version": 1,
        "consent": {"not_diagnostic_ack": True, "data_use_ack": True},
        "about": {
            "date_of_birth": person["born"](as_of).isoformat(),
            "sex_at_birth": sex,
            "pregnancy": person.get("pregnancy", None if sex == "male" else "none"),
            "region": person["region"],
        },
        "conditions": _section(person, "conditions"),
        "symptoms": symptoms,
        "safety": safety,
        "medication_trials": [_trial(row) for row in person.get("trials", [])],
        "therapy": _section(person, "therapy"),
        "medical": _section(person, "medical"),
        "practical": _section(person, "practical"),
        "contact": {
            "full_name": name,
            "email": email,
            "phone": phone,
            "preferred_contact": preferred,
        },
        "notes": person["notes"],
    }
    # A question added to the definition since gets its key, empty.
    return with_every_key(copy.deepcopy(doc))  # no list shared with the table or another document


def demo_documents(as_of: date) -> list[dict[str, Any]]:
    """About thirty fictional answer documents that between them raise every flag and level."""
    return [demo_document(person, as_of) for person in DEMO_PEOPLE]


def demo_created_times(count: int, now: datetime) -> list[datetime]:
    """`count` UTC times spread over the 21 days before now, oldest first, the same every call."""
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    window = int(CREATED_WINDOW.total_seconds() // 60) - 120  # newest at least 2 hours old
    times = []
    for i in range(max(count, 0)):
        wobble = ((i * 37) % 9 - 4) / 10  # -0.4 to 0.4 of a slot: not evenly spaced
        minutes_ago = 120 + int(window * (1 - (i + 0.5 + wobble) / count))
        times.append((now - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0))
    return times
