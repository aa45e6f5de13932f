"""Where a request goes next (questionnaire/flow.py): pure functions, no app, no database."""

from __future__ import annotations

from datetime import date

import pytest

from screening.questionnaire import flow
from screening.questionnaire.flow import Elsewhere, RowChange
from screening.questionnaire.schema import (
    ABOUT,
    CONDITIONS,
    CONSENT,
    CONTACT,
    MOOD,
    REVIEW,
    SAFETY_CHECK,
    SYMPTOMS,
    TREATMENTS,
)
from tests.helpers import worked_example

AS_OF = date(2026, 11, 22)
TRIALS = TREATMENTS.questions[0]


def every_page_saved(doc: dict) -> list[str]:
    return [page.slug for page in flow.visible_pages(doc) if page is not REVIEW]


def with_safety_answer(plan: str | None, item9: int = 1) -> dict:
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = item9
    doc["safety"]["suicide_plan_or_intent"] = plan
    return doc


def test_the_review_page_and_unknown_slugs_are_not_question_pages() -> None:
    assert flow.question_page("about") is ABOUT
    assert flow.question_page("review") is None
    assert flow.question_page("no-such-page") is None


def test_someone_who_has_not_started_is_sent_to_the_first_page() -> None:
    nothing = flow.unanswered()
    assert flow.instead_of(ABOUT, nothing, [], AS_OF, started=False) is CONSENT
    assert flow.instead_of(CONTACT, nothing, [], AS_OF, started=False) is CONSENT
    assert flow.instead_of(CONSENT, nothing, [], AS_OF, started=False) is None


def test_an_earlier_page_still_to_answer_comes_first() -> None:
    doc = worked_example()
    assert flow.instead_of(CONTACT, doc, ["start", "about"], AS_OF, started=True) is CONDITIONS
    assert flow.instead_of(CONDITIONS, doc, ["start", "about"], AS_OF, started=True) is None
    # A later page still to answer does not move anyone off an earlier one.
    assert flow.instead_of(ABOUT, doc, ["start"], AS_OF, started=True) is None


def test_a_saved_page_whose_answers_no_longer_pass_counts_as_still_to_answer() -> None:
    doc = worked_example()
    doc["about"]["date_of_birth"] = None
    assert flow.instead_of(CONTACT, doc, every_page_saved(doc), AS_OF, started=True) is ABOUT


def test_a_page_the_answers_skip_leads_to_the_next_shown_page() -> None:
    doc = with_safety_answer(None, item9=0)
    assert not SAFETY_CHECK.is_shown(doc)
    assert flow.instead_of(SAFETY_CHECK, doc, every_page_saved(doc), AS_OF, started=True) is (
        SYMPTOMS
    )
    doc["conditions"]["diagnosed"] = ["depression"]
    doc["conditions"]["primary_concern"] = "depression"
    assert flow.instead_of(SYMPTOMS, doc, every_page_saved(doc), AS_OF, started=True) is (
        TREATMENTS
    )


def test_a_saved_page_leads_to_the_next_shown_page() -> None:
    doc = worked_example()
    saved = every_page_saved(doc)
    after = flow.after_save(MOOD, doc, saved, AS_OF, action="continue", back_to_review=False)
    assert after is SYMPTOMS  # the safety check is not shown: item 9 is 0
    after = flow.after_save(CONTACT, doc, saved, AS_OF, action="continue", back_to_review=False)
    assert after is REVIEW


def test_a_yes_on_the_safety_check_leads_to_the_crisis_page() -> None:
    doc = with_safety_answer("yes")
    saved = every_page_saved(doc)
    for back_to_review in (False, True):  # even from an Edit link on the review page
        after = flow.after_save(
            SAFETY_CHECK, doc, saved, AS_OF, action="continue", back_to_review=back_to_review
        )
        assert after is Elsewhere.CRISIS
    doc = with_safety_answer("no")
    after = flow.after_save(
        SAFETY_CHECK, doc, saved, AS_OF, action="continue", back_to_review=False
    )
    assert after is SYMPTOMS


def test_save_and_continue_later_goes_to_its_own_page_whatever_the_answers() -> None:
    doc = with_safety_answer("yes")
    saved = every_page_saved(doc)
    for back_to_review in (False, True):
        after = flow.after_save(
            SAFETY_CHECK, doc, saved, AS_OF, action="save-later", back_to_review=back_to_review
        )
        assert after is Elsewhere.SAVE_FOR_LATER


def test_an_edit_from_the_review_page_returns_there_or_to_a_page_it_opened() -> None:
    doc = worked_example()
    saved = every_page_saved(doc)
    after = flow.after_save(ABOUT, doc, saved, AS_OF, action="continue", back_to_review=True)
    assert after is REVIEW
    # Mentioning PTSD opens the PCL-5 on the symptoms page, not yet answered.
    doc["conditions"]["suspected"] = ["ptsd"]
    after = flow.after_save(CONDITIONS, doc, saved, AS_OF, action="continue", back_to_review=True)
    assert after is SYMPTOMS


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("add-trial", RowChange(TRIALS, add=True)),
        ("remove-trial-0", RowChange(TRIALS, remove=0)),
        ("remove-trial-14", RowChange(TRIALS, remove=14)),
        # A button the group does not know changes no row, and the page is not saved.
        ("remove-trial-x", RowChange(TRIALS)),
        ("remove-trial-1000", RowChange(TRIALS)),
        ("remove-trial-", RowChange(TRIALS)),
        ("add-row", RowChange(TRIALS)),
        ("continue", None),
        ("save-later", None),
    ],
)
def test_the_buttons_of_the_medicine_list(action: str, expected: RowChange | None) -> None:
    assert flow.row_change(TREATMENTS, action) == expected


def test_a_page_without_a_repeating_group_saves_whatever_button_is_pressed() -> None:
    for action in ("add-trial", "remove-trial-0", "continue", "anything"):
        assert flow.row_change(ABOUT, action) is None


def test_the_buttons_name_themselves_from_the_definition() -> None:
    group = TRIALS.answer_type
    assert (group.add_action, group.remove_action(3)) == ("add-trial", "remove-trial-3")
    assert flow.row_change(TREATMENTS, group.remove_action(3)) == RowChange(TRIALS, remove=3)


def test_the_answers_are_sent_in_the_language_of_the_submit() -> None:
    doc = worked_example()
    assert flow.as_sent(doc, "en") is doc  # unchanged: English documents have no key
    spanish = flow.as_sent(doc, "es")
    assert spanish["language"] == "es"
    assert "language" not in doc
    assert "language" not in flow.as_sent(spanish, "en")
    assert flow.as_sent(spanish, "es") is spanish


def test_a_switch_to_spanish_at_submit_leaves_the_pcl5_optional() -> None:
    doc = worked_example()
    doc["conditions"]["suspected"] = ["ptsd"]  # the PCL-5 is asked, and left blank
    saved = every_page_saved(doc)
    assert not flow.ready_to_submit(doc, saved, AS_OF)
    assert flow.ready_to_submit(flow.as_sent(doc, "es"), saved, AS_OF)


def test_ready_to_submit_needs_every_shown_page_saved_and_valid_answers() -> None:
    doc = worked_example()
    saved = every_page_saved(doc)
    assert flow.ready_to_submit(doc, saved, AS_OF)
    assert not flow.ready_to_submit(doc, [slug for slug in saved if slug != "contact"], AS_OF)
    doc["about"]["date_of_birth"] = "not a date"
    assert not flow.ready_to_submit(doc, saved, AS_OF)
