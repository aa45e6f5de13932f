"""The demo data: valid documents that between them raise every flag at every level."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from screening.demo import demo_created_times, demo_documents
from screening.questionnaire.validate import validate
from screening.rules import RULES, Thresholds, age_on, evaluate

AS_OF_DATES = (date(2026, 11, 21), date(2031, 6, 1), date(2028, 2, 29))
SERVED = Thresholds(served_regions=("CA", "NY", "TX"))
RESERVED_DOMAINS = ("example.org", "example.com", "example.net")

# Every (flag id, level) pair FLAGS.md allows: the demo queue must show each one.
# fmt: off
FLAG_LEVELS = {
    ("suicide_risk", "urgent"), ("suicide_risk", "high"), ("suicide_risk", "review"),
    ("mania_or_psychosis_now", "urgent"), ("vascular_history", "high"),
    ("ketamine_allergy", "high"), ("pregnancy", "high"), ("under_18", "high"),
    ("blood_pressure", "high"), ("blood_pressure", "review"), ("blood_pressure", "info"),
    ("bp_unknown", "review"), ("bp_unknown", "info"),
    ("substance_use", "high"), ("substance_use", "review"),
    ("cardiovascular_history", "review"), ("psychosis_history", "review"), ("bipolar", "review"),
    ("sedating_medication", "review"), ("pressor_medication", "review"),
    ("other_medical", "review"), ("severe_depression_score", "review"),
    ("not_determined", "review"), ("sri_trials", "info"), ("erp_course", "info"),
    ("antidepressant_trials", "info"), ("off_label", "info"), ("answer_conflict", "info"),
    ("cost_concern", "info"), ("transport", "info"), ("schedule", "info"),
    ("outside_service_area", "info"),
}
# fmt: on


def raised(as_of: date, thresholds: Thresholds) -> set[tuple[str, str]]:
    return {
        (flag.id, flag.level)
        for doc in demo_documents(as_of)
        for flag in evaluate(doc, as_of, thresholds).flags
    }


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_every_demo_document_is_valid(as_of: date) -> None:
    for index, doc in enumerate(demo_documents(as_of)):
        assert [str(p) for p in validate(doc, as_of)] == [], f"demo document {index}"


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_demo_documents_raise_every_flag_at_every_level(as_of: date) -> None:
    assert raised(as_of, SERVED) >= FLAG_LEVELS
    assert {rule.__name__.lstrip("_") for rule in RULES} == {flag for flag, _ in FLAG_LEVELS}


def test_outside_service_area_needs_served_regions() -> None:
    as_of = AS_OF_DATES[0]
    assert not any(flag == "outside_service_area" for flag, _ in raised(as_of, Thresholds()))
    regions = [doc["about"]["region"] for doc in demo_documents(as_of)]
    assert "other" in regions


def test_ages_follow_the_evaluation_date() -> None:
    for as_of in AS_OF_DATES:
        ages = [
            age_on(date.fromisoformat(d["about"]["date_of_birth"]), as_of)
            for d in demo_documents(as_of)
        ]
        assert 17 in ages and 18 in ages
        under_18 = [
            age
            for doc, age in zip(demo_documents(as_of), ages, strict=True)
            if any(f.id == "under_18" for f in evaluate(doc, as_of, Thresholds()).flags)
        ]
        assert under_18 == [17]


@pytest.mark.parametrize(
    "now", [datetime(2026, 11, 21, 9, 30, tzinfo=UTC), datetime(2031, 6, 1, tzinfo=UTC)]
)
def test_documents_keep_their_flags_on_their_created_dates(now: datetime) -> None:
    """As seed-demo stores them: built for today, evaluated on each created date."""
    docs = demo_documents(now.date())
    found: set[tuple[str, str]] = set()
    under_18 = 0
    for doc, created in zip(docs, demo_created_times(len(docs), now), strict=True):
        assert validate(doc, created.date()) == []
        flags = evaluate(doc, created.date(), SERVED).flags
        found |= {(flag.id, flag.level) for flag in flags}
        under_18 += any(flag.id == "under_18" for flag in flags)
    assert found >= FLAG_LEVELS
    assert under_18 == 1


def test_a_realistic_queue_has_quiet_documents_too() -> None:
    as_of = AS_OF_DATES[0]
    levels = [
        {flag.level for flag in evaluate(doc, as_of, Thresholds()).flags}
        for doc in demo_documents(as_of)
    ]
    assert sum(not found for found in levels) >= 1
    assert sum(found <= {"info"} for found in levels) >= 5


def test_the_first_document_is_the_worked_example() -> None:
    example = json.loads((Path(__file__).parent / "data" / "worked_example.json").read_text())
    first = demo_documents(date(2026, 11, 21))[0]
    assert {**first, "notes": example["notes"]} == example


def test_count_contacts_and_determinism() -> None:
    as_of = AS_OF_DATES[0]
    docs = demo_documents(as_of)
    assert 25 <= len(docs) <= 40
    assert docs == demo_documents(as_of)
    for doc in docs:
        contact = doc["contact"]
        assert contact["email"].rpartition("@")[2] in RESERVED_DOMAINS
        if contact["phone"] is not None:
            assert contact["phone"].replace(" ", "")[-7:-2] == "55501"
    assert len({doc["contact"]["email"] for doc in docs}) == len(docs)


def test_documents_do_not_share_lists() -> None:
    first, second = demo_documents(AS_OF_DATES[0]), demo_documents(AS_OF_DATES[0])
    first[0]["conditions"]["diagnosed"].append("ptsd")
    first[3]["medication_trials"][0]["outcome"] = "helped"
    assert first[0]["conditions"] != second[0]["conditions"]
    assert demo_documents(AS_OF_DATES[0]) == second


@pytest.mark.parametrize("count", [0, 1, 32, 100])
def test_created_times_are_recent_utc_and_oldest_first(count: int) -> None:
    now = datetime(2026, 11, 21, 9, 30, 15, tzinfo=UTC)
    times = demo_created_times(count, now)
    assert len(times) == count
    assert times == sorted(times)
    assert times == demo_created_times(count, now)
    for created in times:
        assert created.utcoffset() == timedelta(0)
        assert now - timedelta(days=21) < created < now


def test_created_times_from_another_zone_are_in_utc() -> None:
    now = datetime(2026, 11, 21, 9, 30, tzinfo=timezone(timedelta(hours=-8)))
    times = demo_created_times(5, now)
    assert all(t.tzinfo is UTC for t in times)
    assert times == demo_created_times(5, now.astimezone(UTC))
