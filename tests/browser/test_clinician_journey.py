"""A clinician signs in, filters the review queue, opens a submission, adds a note and marks
it reviewed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.browsing import Browsing
from tests.browser.clinician import EMAIL, WORKED_EXAMPLE_FLAG_TITLES, sign_in
from tests.browser.server import LiveServer
from tests.helpers import worked_example

pytestmark = pytest.mark.browser


def queue_rows(page: Page) -> Locator:
    """The rows of the queue's table, its header row first."""
    return page.get_by_role("table", name="Submissions").get_by_role("row")


def test_a_clinician_reviews_a_submission(browse: Browsing, live_server: LiveServer):
    password = live_server.add_clinician(EMAIL)
    allergic = worked_example()
    allergic["medical"]["ketamine_allergy"] = "yes"
    _, allergic_reference = live_server.add_submission(allergic)
    _, reference = live_server.add_submission(worked_example())

    page = browse.new_page()
    page.goto("/clinician/sign-in")
    page.get_by_role("button", name="Sign in").click()  # nothing typed
    expect(page.get_by_role("alert", name="There is a problem")).to_be_focused()
    browse.audit(page)
    sign_in(browse, page, EMAIL, password)

    # The queue: most urgent first, so the allergy (high) comes before the worked example.
    browse.audit(page)
    expect(queue_rows(page)).to_have_count(3)  # a header row and two submissions
    expect(queue_rows(page).nth(1)).to_contain_text(allergic_reference)
    expect(queue_rows(page).nth(1)).to_contain_text("High")
    expect(queue_rows(page).nth(2)).to_contain_text(reference)
    browse.screenshot(page, "clinician-queue.png")

    # Filter by highest level: only the worked example (two info items) is left.
    page.get_by_label("Highest level", exact=True).select_option(label="Info")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Highest level", exact=True)).to_have_value("info")
    expect(queue_rows(page)).to_have_count(2)
    expect(queue_rows(page).nth(1)).to_contain_text("Off-label: primary concern is")
    expect(page.get_by_role("link", name=allergic_reference)).to_have_count(0)
    browse.audit(page)

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Submission {reference}")
    items = page.get_by_role("region", name="Items for review")
    expect(items.get_by_role("heading", level=3)).to_have_text(
        [re.compile(f"Info {re.escape(title)}$") for title in WORKED_EXAMPLE_FLAG_TITLES]
    )
    browse.audit(page)

    # A note: empty first (the error summary), then written.
    notes = page.get_by_role("region", name="Notes")
    notes.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("alert", name="There is a problem")).to_be_visible()
    browse.audit(page)
    note = "Called Alex: cost discussed; self-pay confirmed."
    page.get_by_label("Add a note").fill(note)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_have_text("Note added.")
    expect(page.get_by_role("region", name="Notes").get_by_role("listitem")).to_contain_text([note])
    browse.audit(page)

    # The header holds what calling back needs; "Mark reviewed" asks first, on its own page.
    header = page.get_by_role("region", name="Who to call back")
    expect(header.get_by_role("link", name="+1 415 555 0100")).to_have_attribute(
        "href", "tel:+14155550100"
    )
    page.get_by_role("link", name="Mark reviewed…").click()
    browse.audit(page)
    page.get_by_role("button", name="Yes, mark reviewed").click()
    expect(page.get_by_role("status")).to_have_text("Marked as reviewed.")
    expect(page.get_by_text(f"Reviewed by {EMAIL}")).to_be_visible()
    expect(page.get_by_role("link", name="Mark reviewed…")).to_have_count(0)
    browse.audit(page)

    # Back in the queue, the submission is among the reviewed ones.
    page.get_by_role("link", name="Back to the review queue").click()
    page.get_by_label("Status", exact=True).select_option(label="Reviewed")
    page.get_by_role("button", name="Apply filters").click()
    expect(queue_rows(page)).to_have_count(2)
    expect(queue_rows(page).nth(1)).to_contain_text(reference)
    expect(queue_rows(page).nth(1)).to_contain_text("Reviewed")
    browse.audit(page)

    # An address that does not exist: the error page (checked by axe and the HTML checker too).
    response = page.goto("/clinician/submissions/999999")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    browse.audit(page)
    browse.assert_self_contained()


def test_the_unfiltered_queue_shows_no_error_messages(browse: Browsing, live_server: LiveServer):
    password = live_server.add_clinician(EMAIL)
    page = browse.new_page()
    sign_in(browse, page, EMAIL, password)
    filters = page.get_by_role("form", name="Filter the queue")
    assert filters.get_by_text("Not a valid choice.").count() == 0
