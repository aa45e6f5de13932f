"""Every validation rule of QUESTIONNAIRE.md rejected by `flask evaluate` with a "path: message"
line, values at the limits accepted, and the command beyond single rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from tests.helpers import worked_example
from tests.validation_cases import (
    AS_OF,
    CASES,
    OTHER_CHOSEN,
    Case,
    Change,
    document_for,
    setting,
    trial_row,
)

# --- Running `evaluate` ------------------------------------------------------------------------


def evaluate(runner: FlaskCliRunner, tmp_path: Path, text: str, *options: str) -> Any:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["evaluate", str(path), "--as-of", AS_OF, *options])


# --- Each rule through `evaluate` ------------------------------------------------------------


@pytest.mark.parametrize("rule", CASES)
def test_evaluate_rejects(runner: FlaskCliRunner, tmp_path: Path, rule: Case) -> None:
    result = evaluate(runner, tmp_path, json.dumps(document_for(rule)))

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith(f"{rule.path}: {rule.message}")], lines


# --- Accepted at the limits ------------------------------------------------------------------

ACCEPTED = [
    pytest.param(setting(("about.date_of_birth", "1906-11-21")), id="age exactly 120"),
    pytest.param(setting(("about.date_of_birth", AS_OF)), id="born on the as-of day"),
    pytest.param(setting(("about.region", "other")), id="region other"),
    pytest.param(setting(OTHER_CHOSEN, ("conditions.other_text", "x" * 200)), id="other_text 200"),
    pytest.param(setting(("symptoms.ybocs_last_score", 0)), id="ybocs 0"),
    pytest.param(setting(("symptoms.ybocs_last_score", 40)), id="ybocs 40"),
    pytest.param(setting(("symptoms.ybocs_last_score", None)), id="ybocs left blank"),
    pytest.param(setting(("medication_trials[0].max_daily_dose_mg", 1000)), id="dose 1000"),
    pytest.param(setting(("medication_trials[0].max_daily_dose_mg", 0.5)), id="dose 0.5"),
    pytest.param(setting(("medication_trials[0].duration_weeks", 0)), id="weeks 0"),
    pytest.param(setting(("medication_trials[0].duration_weeks", 520)), id="weeks 520"),
    pytest.param(setting(("medication_trials", [trial_row("sertraline")] * 15)), id="15 medicines"),
    pytest.param(setting(("therapy.erp_sessions", 500)), id="erp_sessions 500"),
    pytest.param(
        setting(("medical.bp_systolic", 60), ("medical.bp_diastolic", 30)), id="bp 60 over 30"
    ),
    pytest.param(
        setting(("medical.bp_systolic", 260), ("medical.bp_diastolic", 160)), id="bp 260 over 160"
    ),
    pytest.param(
        setting(
            ("medical.bp_systolic", None), ("medical.bp_diastolic", None), ("medical.bp_when", None)
        ),
        id="no bp reading",
    ),
    pytest.param(setting(("contact.phone", "555 0100")), id="phone 7 digits"),
    pytest.param(setting(("contact.phone", "+(1) 234.567-890 1234567890")), id="phone 20 digits"),
    pytest.param(setting(("contact.full_name", "A" * 120)), id="full_name 120"),
    pytest.param(setting(("notes", "Line one\nline two" + "x" * 1982)), id="notes 2000"),
]


@pytest.mark.parametrize("change", ACCEPTED)
def test_evaluate_accepts_values_at_the_limits(
    runner: FlaskCliRunner, tmp_path: Path, change: Change
) -> None:
    doc = worked_example()
    change(doc)
    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "scores" in json.loads(result.stdout)


# --- The evaluate command beyond single rules -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("{not json", "document: is not valid JSON", id="invalid JSON"),
        pytest.param("", "document: is not valid JSON", id="empty file"),
        # Strictly JSON (RFC 8259): what json.loads also accepts is not, and no answer anyway.
        pytest.param('{"notes": NaN}', "document: is not valid JSON", id="NaN"),
        pytest.param(
            '{"medical": {"bp_systolic": 1e400}}',
            "document: is not valid JSON",
            id="a number too large for a float",
        ),
        pytest.param(
            '{"notes": "\\ud800 a lone surrogate"}',
            "document: is not valid JSON",
            id="a lone surrogate",
        ),
        pytest.param("[" * 2000 + "]" * 2000, "document: is not valid JSON", id="2,000 deep"),
        pytest.param("[1, 2]", "document: must be a JSON object", id="a list"),
    ],
)
def test_evaluate_rejects_what_is_not_a_document(
    runner: FlaskCliRunner, tmp_path: Path, text: str, line: str
) -> None:
    result = evaluate(runner, tmp_path, text)

    assert result.exit_code == 2
    assert result.stdout == ""
    [printed] = result.stderr.splitlines()
    assert printed.startswith(line)


def test_evaluate_reads_an_integer_past_64_bits_as_no_whole_number(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """orjson reads it as a float; the answer gets the message any other bad number gets."""
    doc = worked_example()
    doc["medical"]["bp_systolic"] = 2**64

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "medical.bp_systolic: must be a whole number from 60 to 260"
    ]


def test_evaluate_accepts_a_document_without_contact_notes_or_consent(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    doc = worked_example()
    for section in ("contact", "notes", "consent"):
        del doc[section]

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["scores"]["phq9"] == {"total": 10, "band": "moderate"}


def test_evaluate_still_checks_contact_when_it_is_given(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    doc = worked_example()
    del doc["consent"]
    doc["contact"]["email"] = "not an address"

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "contact.email: must be an email address like name@example.com"
    ]


def test_evaluate_lists_every_problem_one_per_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    doc = worked_example()
    doc["about"]["sex_at_birth"] = None
    doc["medical"]["bp_diastolic"] = 130

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "about.sex_at_birth: is required: one of female, male, intersex, prefer_not_to_say",
        "medical.bp_diastolic: must be lower than the systolic value",
    ]


def test_evaluate_jsonl_gives_one_line_per_document_in_order(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    invalid = worked_example()
    invalid["medical"]["bp_diastolic"] = 130
    text = json.dumps(worked_example()) + "\n" + json.dumps(invalid) + "\n"

    result = evaluate(runner, tmp_path, text, "--jsonl")

    assert result.exit_code == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["scores"]["phq9"] == {"total": 10, "band": "moderate"}
    assert second == {"errors": ["medical.bp_diastolic: must be lower than the systolic value"]}


def test_evaluate_jsonl_reports_a_line_that_is_not_json(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    text = "{oops\n" + json.dumps(worked_example()) + "\n"

    result = evaluate(runner, tmp_path, text, "--jsonl")

    assert result.exit_code == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert len(first["errors"]) == 1
    assert first["errors"][0].startswith("document: is not valid JSON")
    assert "scores" in second


# --- Bugs found while writing these tests, now fixed --------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "accepted"),
    [
        ("about.region", "XX", "code in capitals (such as CA), or other"),
        ("medication_trials[0].medication", "aspirin", "fluoxetine, sertraline"),
    ],
)
def test_evaluate_says_what_a_long_list_accepts(
    runner: FlaskCliRunner, tmp_path: Path, path: str, value: str, accepted: str
) -> None:
    doc = worked_example()
    setting((path, value))(doc)

    result = evaluate(runner, tmp_path, json.dumps(doc))

    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}: must be ")
    assert accepted in line
