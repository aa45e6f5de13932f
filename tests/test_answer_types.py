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
