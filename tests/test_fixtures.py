"""The fixtures the other tests build on: one clear message when the definition outgrows them."""

from __future__ import annotations

from datetime import date

from screening.questionnaire.schema import QUESTIONS, empty_document
from screening.questionnaire.types import Kind
from screening.questionnaire.validate import validate
from tests.helpers import unanswered_required, worked_example, worked_example_as_written


def test_the_worked_example_answers_every_required_question() -> None:
    missing = unanswered_required(worked_example_as_written())
    assert not missing, (
        "the worked example does not answer these required questions: "
        f"{', '.join(missing)} (add them to tests/data/worked_example.json)"
    )


def test_unanswered_required_names_a_question_the_document_leaves_out() -> None:
    already = unanswered_required(worked_example_as_written())
    doc = worked_example_as_written()
    del doc["about"]["sex_at_birth"]
    doc["practical"]["has_driver"] = None
    missing = [path for path in unanswered_required(doc) if path not in already]
    assert missing == ["about.sex_at_birth", "practical.has_driver"]


def test_the_completed_worked_example_keeps_every_answer_of_the_file_and_is_valid() -> None:
    completed, written = worked_example(), worked_example_as_written()
    for section, value in written.items():
        if isinstance(value, dict):
            assert completed[section] == {**completed[section], **value}
        else:
            assert completed[section] == value
    assert validate(completed, date(2026, 11, 21)) == []


def test_every_kind_has_an_example_answer_its_own_checks_accept() -> None:
    """What worked_example() fills in for a required question the file lacks is valid."""
    doc = empty_document()
    kinds = set()
    for question in [*QUESTIONS, *(field for q in QUESTIONS for field in q.fields)]:
        kinds.add(question.kind)
        example = question.answer_type.example()
        problems = question.answer_type.check(question.path, example, doc, date(2026, 11, 21))
        assert problems == [], (question.path, example, problems)
    assert kinds == set(Kind)
