"""A patient fills in the whole questionnaire in Chromium: on a desktop, on a phone, and with
JavaScript turned off; the crisis resources; the error summary."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.browsing import DESKTOP, PHONE, PHONE_OPTIONS, Browsing
from tests.browser.patient import (
    WORKED_EXAMPLE,
    WORKED_EXAMPLE_TOPICS,
    Choose,
    Press,
    Step,
    continue_button,
    expect_page,
    mood_page,
)

pytestmark = pytest.mark.browser


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways: the page never scrolls horizontally."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def answer_pages(
    browse: Browsing, page: Page, pages: list[tuple[str, list[Step]]], *, on_phone: bool = False
) -> None:
    """Answer each page as listed, checking each page (and each re-shown page) with axe-core."""
    for title, steps in pages:
        expect_page(page, title)
        browse.audit(page)
        if on_phone:
            assert fits_the_screen(page), f"{title} scrolls sideways on a phone"
        for step in steps:
            step.do(page)
            if isinstance(step, Press):  # the page came back with one more medicine
                expect_page(page, title)
                browse.audit(page)
        if on_phone and title == "Treatments you have tried":
            browse.screenshot(page, "questionnaire-phone.png")
        continue_button(page).click()


def submit_and_see_summary(browse: Browsing, page: Page) -> str:
    """Submit on the review page; the summary shows the reference code and the topics."""
    expect_page(page, "Review your answers")
    browse.audit(page)
    expect(page.get_by_text("Alex Example")).to_be_visible()
    expect(page.get_by_text("Sertraline (Zoloft)")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()

    expect_page(page, "Your answers have been sent")
    browse.audit(page)
    summary = page.get_by_role("article", name="Your summary")
    topics = summary.get_by_role("list").filter(has_text=WORKED_EXAMPLE_TOPICS[0])
    expect(topics.get_by_role("listitem")).to_have_text(WORKED_EXAMPLE_TOPICS)
    reference = page.get_by_text("Your reference code").get_by_role("strong")
    expect(reference).to_have_text(re.compile(r"^\s*[A-Z0-9]{8}\s*$"))
    # The summary speaks of topics, never of flags, levels or diagnoses.
    expect(summary).not_to_contain_text("flag")
    expect(summary).not_to_contain_text("Off-label")
    return reference.inner_text().strip()


@pytest.mark.parametrize(
    ("viewport", "options"),
    [(DESKTOP, {}), (PHONE, PHONE_OPTIONS)],
    ids=["desktop", "phone-390x844"],
)
def test_a_patient_completes_the_worked_example(
    browse: Browsing, viewport: dict[str, int], options: dict[str, Any]
):
    on_phone = viewport == PHONE
    page = browse.new_page(viewport, **options)
    page.goto("/")

    answer_pages(browse, page, WORKED_EXAMPLE, on_phone=on_phone)
    submit_and_see_summary(browse, page)

    if on_phone:
        assert fits_the_screen(page), "the summary scrolls sideways on a phone"
    else:
        browse.screenshot(page, "patient-summary.png")
    browse.assert_self_contained()


def test_a_patient_completes_the_worked_example_without_javascript(browse: Browsing):
    page = browse.new_page(javascript=False)
    page.goto("/")

    answer_pages(browse, page, WORKED_EXAMPLE)
    submit_and_see_summary(browse, page)

    # Without JavaScript there is no print button, and the page says how to print instead.
    expect(page.get_by_role("button", name="Print this summary")).to_have_count(0)
    expect(page.get_by_text("use your browser's Print command")).to_be_visible()
    browse.assert_self_contained()


def test_thoughts_of_self_harm_bring_the_crisis_resources_and_a_plan_the_crisis_page(
    browse: Browsing,
):
    page = browse.new_page()
    page.goto("/")
    first_pages = WORKED_EXAMPLE[:3]
    item_9_several_days = [2, 2, 1, 2, 1, 1, 1, 0, 1]
    answer_pages(
        browse,
        page,
        [*first_pages, ("Mood and anxiety", mood_page(item_9_several_days, [1] * 7))],
    )

    expect_page(page, "Safety check")
    crisis = page.get_by_role("region", name="Help is available now")
    expect_crisis_resources(crisis)
    browse.audit(page)
    Choose("do you have a plan or intention to act on thoughts", "Yes").do(page)
    continue_button(page).click()

    expect_page(page, "Please get help now")
    expect_crisis_resources(page.get_by_role("region", name="Get help now"))
    browse.audit(page)
    page.get_by_role("link", name="Continue with the questionnaire").click()
    expect_page(page, "More about your symptoms")
    browse.assert_self_contained()


def expect_crisis_resources(crisis: Locator) -> None:
    """988 (with the Veterans and Spanish lines), text HOME to 741741, and 911."""
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("link", name="988")).to_have_attribute("href", "tel:988")
    expect(crisis).to_contain_text("Press 1 for the Veterans Crisis Line, 2 for Spanish")
    expect(crisis.get_by_role("link", name="741741")).to_have_attribute("href", "sms:741741")
    expect(crisis).to_contain_text("Text HOME to 741741")
    expect(crisis.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")


def test_errors_move_focus_to_the_summary_whose_links_move_focus_to_the_fields(
    browse: Browsing,
):
    page = browse.new_page()
    page.goto("/")
    answer_pages(browse, page, WORKED_EXAMPLE[:1])
    expect_page(page, "About you")
    continue_button(page).click()  # nothing answered

    expect(page).to_have_title(re.compile(r"^Error: About you"))
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_be_focused()
    browse.audit(page)

    links = summary.get_by_role("link")
    expect(links).to_have_count(4)
    fields = [
        page.get_by_label("Date of birth"),
        page.get_by_role("group", name="Sex assigned at birth").get_by_role("radio").first,
        page.get_by_role("group", name="Are you pregnant").get_by_role("radio").first,
        page.get_by_label("Where do you live?"),
    ]
    for link, field in zip(links.all(), fields, strict=True):
        link.click()
        expect(field).to_be_focused()
    # Each field says what is wrong, in words a screen reader reads with it.
    expect(page.get_by_label("Date of birth")).to_have_accessible_description(
        re.compile("Error: Date of birth: ")
    )

    # The keyboard works the same way: from the summary, Tab to a link and press Enter.
    with page.expect_navigation():
        continue_button(page).click()
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(fields[0]).to_be_focused()
    browse.assert_self_contained()
