"""What is special about a page lives in its definition: steps, the crisis page, intros."""

from __future__ import annotations

from pathlib import Path

from screening.questionnaire import flow
from screening.questionnaire.schema import (
    CONSENT,
    MOOD,
    PAGES,
    QUESTIONS,
    SAFETY_CHECK,
    TREATMENTS,
)
from screening.summary import DATE_OF_BIRTH, PERSON_NAME, SCALE_QUESTIONS
from tests.helpers import worked_example

TEMPLATES = Path(__file__).parent.parent / "templates"


def item9(score: int, plan: str | None) -> dict:
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = score
    doc["safety"]["suicide_plan_or_intent"] = plan
    return doc


def test_the_safety_check_is_within_the_mood_step() -> None:
    doc = item9(2, "no")
    assert flow.progress(SAFETY_CHECK, doc) == flow.progress(MOOD, doc)
    assert flow.progress(MOOD, doc) == flow.progress(MOOD, item9(0, None))


def test_a_yes_on_the_safety_check_leads_to_the_crisis_page_then_onwards() -> None:
    assert SAFETY_CHECK.crisis_after(item9(1, "yes"))
    assert not SAFETY_CHECK.crisis_after(item9(1, "no"))
    assert [page for page in PAGES if page.crisis_after] == [SAFETY_CHECK]
    assert flow.after_crisis(item9(1, "yes")) is flow.next_page(SAFETY_CHECK, item9(1, "yes"))


def test_intro_templates_exist_and_the_clinician_summary_leaves_out_consent() -> None:
    for page in PAGES:
        if page.intro_template:
            assert (TEMPLATES / page.intro_template).is_file(), page.slug
    assert "clinician" not in CONSENT.summary_audiences
    assert {"patient", "clinician"} <= TREATMENTS.summary_audiences


def test_the_medicine_list_names_its_rows_buttons_and_sentences() -> None:
    trials = TREATMENTS.questions[0]
    assert (trials.row_label, trials.add_row, trials.add_another_row, trials.row_action) == (
        "Medicine",
        "Add a medicine",
        "Add another medicine",
        "trial",
    )
    row = {"medication": "sertraline", "max_daily_dose_mg": 100, "duration_weeks": 8}
    row |= {"outcome": "partial", "current": True}
    assert trials.row_text(row) == (
        "Sertraline (Zoloft), up to 100 mg a day, 8 weeks. It helped a little. Taking it now."
    )
    row |= {"duration_weeks": 1}
    assert trials.row_text(row).startswith("Sertraline (Zoloft), up to 100 mg a day, 1 week. ")
    row |= {"max_daily_dose_mg": None, "duration_weeks": None, "current": False}
    assert trials.row_text(row) == "Sertraline (Zoloft). It helped a little. Not taking it now."


def test_the_summary_names_the_person_from_the_questions_marked_for_autofill() -> None:
    assert [q.path for q in QUESTIONS if q.autocomplete == "name"] == ["contact.full_name"]
    assert [q.path for q in QUESTIONS if q.autocomplete == "bday"] == ["about.date_of_birth"]
    assert (PERSON_NAME.path, DATE_OF_BIRTH.path) == ("contact.full_name", "about.date_of_birth")
    assert SCALE_QUESTIONS["pcl5"].path == "symptoms.pcl5"
