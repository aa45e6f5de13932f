"""What the demo people share: the quiet answer to every question, and their ages.

Ages are fixed relative to the evaluation date, so the 17-year-old stays 17 and the 18-year-old
stays 18 whatever the year.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

Born = Callable[[date], date]
CREATED_WINDOW = timedelta(days=21)  # seed-demo spreads the documents over these days


def aged(years: int, month: int, day: int) -> Born:
    """Born on this month and day, `years` old on the evaluation date."""

    def born(as_of: date) -> date:
        had_birthday = (as_of.month, as_of.day) >= (month, day)
        return date(as_of.year - years - (0 if had_birthday else 1), month, day)

    return born


def _years_before(as_of: date, years: int) -> date:
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February in a year that has none
        return date(as_of.year - years, 2, 28)


def eighteen_for_three_weeks(as_of: date) -> date:
    """Turned 18 exactly 21 days before as_of: 18, not under 18, on every created date too.

    seed-demo evaluates each document on its created date, up to 21 days before as_of, so a
    birthday on as_of itself would make this person 17 in the queue.
    """
    return _years_before(as_of, 18) - CREATED_WINDOW


def seventeen_turning_eighteen_soon(as_of: date) -> date:
    """17 on the evaluation date, turning 18 forty days later."""
    return _years_before(as_of, 18) + timedelta(days=40)


# The quiet answer to every question; each demo person changes only what is theirs.
DEFAULTS: dict[str, dict[str, Any]] = {
    "conditions": {"diagnosed": [], "suspected": [], "other_text": None},
    "symptoms": {"phq9_difficulty": None, "pcl5": None, "ocd_time_per_day": None},
    "safety": {
        "suicide_attempt_history": "never",
        "psychosis_history": "no",
        "psychosis_current": "no",
        "family_psychosis": "no",
        "mania_history": "no",
        "mania_current": "no",
        "mood_stabilizers": [],
        "substance_use": "never",
        "ketamine_misuse": "no",
    },
    "therapy": {
        "erp": "never",
        "erp_sessions": None,
        "erp_specialist": None,
        "other_therapy": [],
        "tms": "never",
        "ketamine_before": "never",
        "ketamine_response": None,
    },
    "medical": {
        "bp_systolic": 122,
        "bp_diastolic": 78,
        "bp_when": "this_month",
        "hypertension": "no",
        "bp_medication": "no",
        "conditions": [],
        "ketamine_allergy": "no",
        "current_medications": [],
        "other_medications_text": None,
    },
    "practical": {
        "cost_concern": "none",
        "payment": "self_pay",
        "insurance_name": None,
        "has_driver": "yes",
        "schedule_ok": "yes",
    },
}
NO_READING = {"bp_systolic": None, "bp_diastolic": None, "bp_when": None}

# Three failed adequate antidepressant trials: depression with nothing left to plan around.
THREE_FAILED = [
    ("sertraline", 150, 12, "partial", False),
    ("bupropion", 300, 10, "no_change", False),
    ("venlafaxine", 225, 14, "partial", True),
]
