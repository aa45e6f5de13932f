"""The safety loop in a browser, on a phone without JavaScript: a person asks the clinic to
call from the crisis page; a clinician finds the request in the queue and on the Alerts page,
acknowledges it, records the call and closes the alert; an admin opens the safety dashboard.
axe-core checks every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.browsing import PHONE, PHONE_OPTIONS, Browsing
from tests.browser.clinician import EMAIL, sign_in
from tests.browser.server import LiveServer

pytestmark = pytest.mark.browser


def test_a_call_back_request_is_answered_and_closed(browse: Browsing, live_server: LiveServer):
    password = live_server.add_clinician(EMAIL)
    person = browse.new_page(PHONE, javascript=False, **PHONE_OPTIONS)
    person.goto("/questionnaire/crisis")
    expect(person.get_by_role("heading", level=1)).to_have_text("Please get help now")
    browse.audit(person)

    person.get_by_role("button", name="Ask the clinic to call me").click()  # no number
    expect(person.get_by_role("alert", name="There is a problem")).to_be_visible()
    expect(
        person.get_by_text("Enter the phone number the clinic should call").first
    ).to_be_visible()
    expect(person.get_by_role("link", name="988").first).to_be_visible()
    browse.audit(person)

    person.get_by_label("Phone number").fill("555-010-7788")
    person.get_by_label("First name (optional)").fill("Sam")
    person.get_by_role("button", name="Ask the clinic to call me").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("The clinic has your number")
    reference = person.locator(".reference").inner_text()
    browse.audit(person)

    staff = browse.new_page(PHONE, javascript=False, **PHONE_OPTIONS)
    sign_in(browse, staff, EMAIL, password)
    callbacks = staff.get_by_role("region", name="Call-back requests from the crisis page")
    expect(callbacks).to_contain_text(reference)
    browse.audit(staff)

    staff.get_by_role("link", name="Alerts", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Alerts")
    expect(staff.get_by_text("1 open alert.")).to_be_visible()
    browse.audit(staff)
    staff.get_by_role("button", name=f"Acknowledge alert {reference}").click()
    expect(staff.get_by_role("status")).to_contain_text("acknowledged: it is yours")
    browse.audit(staff)

    staff.get_by_role("link", name=reference).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Call-back request")
    expect(staff.get_by_role("link", name="555-010-7788")).to_be_visible()
    browse.audit(staff)
    staff.get_by_label("When (UTC time)").fill("")
    staff.get_by_role("button", name="Record contact attempt").click()
    expect(staff.get_by_role("alert", name="There is a problem")).to_be_visible()
    browse.audit(staff)
    staff.get_by_label("When (UTC time)").fill("2026-11-22T10:15")
    staff.get_by_label("Outcome").select_option(label="Reached the person")
    staff.get_by_label("Note (optional)").fill("Spoke with Sam; safety plan agreed.")
    staff.get_by_role("button", name="Record contact attempt").click()
    expect(staff.get_by_role("status")).to_have_text("Contact attempt recorded.")
    staff.get_by_text(f"Close alert {reference}").click()
    staff.get_by_role("button", name="Close alert").click()
    expect(staff.get_by_role("status")).to_contain_text("closed")
    browse.audit(staff)

    # An admin's safety dashboard (desktop, with JavaScript): the chart and the table.
    admin_password = live_server.add_clinician("admin@clinic.example", role="admin")
    admin = browse.new_page()
    sign_in(browse, admin, "admin@clinic.example", admin_password)
    admin.get_by_role("link", name="Safety", exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Safety dashboard")
    expect(admin.get_by_role("img", name="Time to acknowledgement")).to_be_visible()
    browse.audit(admin)
    browse.assert_self_contained()
