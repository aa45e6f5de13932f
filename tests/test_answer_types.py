"""One class per kind of answer: every kind has its class and template; a group names its rows
from its definition."""

from __future__ import annotations

from pathlib import Path

from screening.questionnaire.fields import AnswerType
from screening.questionnaire.schema import TRIAL_OUTCOME
from screening.questionnaire.types import Kind, Question
from screening.rules import Thresholds

TEMPLATES = Path(__file__).parent.parent / "templates"


def test_every_kind_has_a_class_and_a_template() -> None:
    assert set(AnswerType.registry) == set(Kind)
    for kind, cls in AnswerType.registry.items():
        question = Question(f"x.{kind.value}", kind, "Label", "Short")
        assert question.answer_type.kind is kind
        assert isinstance(question.answer_type, cls)
        assert (TEMPLATES / question.answer_type.template).is_file(), kind


ALLERGIES = Question(
    "allergies",
    Kind.GROUP,
    "Allergies you have",
    "Allergies",
    max_rows=3,
    fields=(Question("substance", Kind.TEXT, "Substance", "Substance", max_length=50),),
    row_label="Allergy",
    row_text=lambda row: f"to {row['substance']}",
)


def test_a_group_names_its_rows_from_its_definition() -> None:
    answer_type = ALLERGIES.answer_type
    assert answer_type.item_label(1, "substance") == "Allergy 2: Substance"
    assert answer_type.item_label(0, None) == "Allergy 1"
    rows = answer_type.summary_rows([{"substance": "latex"}], items=False, brief=False)
    assert [(row.label, row.answer, row.path) for row in rows] == [
        ("Allergy 1", "to latex", "allergies[0]")
    ]


def test_too_early_to_tell_names_the_adequate_antidepressant_weeks() -> None:
    weeks = Thresholds().adequate_antidepressant_weeks
    label = TRIAL_OUTCOME.choice_label("too_early")
    assert label == f"Too early to tell (I started less than {weeks} weeks ago)"


def test_answers_validation_takes_the_short_way_are_ones_its_checks_accept() -> None:
    """`always_valid` lets validation skip an answer type's checks: each such answer must be one
    the checks accept, whatever the document, and not blank."""
    from datetime import date

    from screening.questionnaire.schema import QUESTIONS
    from tests.helpers import worked_example

    doc, as_of = worked_example(), date(2026, 11, 21)
    questions = [*QUESTIONS, *(field for q in QUESTIONS for field in q.fields)]
    short_way = 0
    for question in questions:
        answer_type = question.answer_type
        for value in answer_type.always_valid:
            assert not answer_type.is_blank(value), question.path
            assert answer_type.check(question.path, value, doc, as_of) == [], question.path
            assert answer_type.check(question.path, value, {}, as_of) == [], question.path
            short_way += 1
    assert short_way > 0
