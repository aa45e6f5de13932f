"""Continue anywhere in Chromium, without JavaScript: start on a phone, save for later, open
the emailed link on a desktop, finish and submit; every new page checked with axe-core."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from screening import resume
from screening.extensions import db
from screening.models import OutboxEmail, Submission
from tests.browser.browsing import DESKTOP, PHONE, PHONE_OPTIONS, Browsing
from tests.browser.patient import WORKED_EXAMPLE, expect_page
from tests.browser.server import LiveServer
from tests.browser.test_patient_journeys import (
    answer_pages,
    fits_the_screen,
    submit_and_see_summary,
)

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://\S+")


def emailed_links(live_server: LiveServer, kind: str) -> list[str]:
    """The paths of the links in the outbox's emails of this kind (what the worker would send)."""
    with live_server.app.app_context():
        bodies = db.session.scalars(select(OutboxEmail.body).where(OutboxEmail.kind == kind))
        return [urlsplit(url).path for body in bodies for url in LINK.findall(body)]


def test_start_on_a_phone_and_finish_on_a_desktop(browse: Browsing, live_server: LiveServer):
    phone = browse.new_page(PHONE, javascript=False, **PHONE_OPTIONS)
    phone.goto("/")
    answer_pages(browse, phone, WORKED_EXAMPLE[:3], on_phone=True)
    mood_title, mood_steps = WORKED_EXAMPLE[3]
    expect_page(phone, mood_title)
    for step in mood_steps:
        step.do(phone)
    phone.get_by_role("button", name="Save and continue later").click()

    expect_page(phone, "Save and continue later")
    browse.audit(phone)
    assert fits_the_screen(phone)
    phone.get_by_label("Email address").fill("alex@example.org")
    phone.get_by_label("Remind me in 3 days if I haven’t finished").check()
    phone.get_by_role("button", name="Send me a link").click()
    expect_page(phone, "Check your email")
    expect(phone.get_by_text("a•••@example.org")).to_be_visible()
    browse.audit(phone)

    [continue_path, cancel_path] = emailed_links(live_server, "resume_link")
    desktop = browse.new_page(DESKTOP, javascript=False)
    desktop.goto(cancel_path)
    expect_page(desktop, "Cancel your reminder")
    browse.audit(desktop)

    desktop.goto(continue_path)
    expect_page(desktop, "Continue your questionnaire")
    browse.audit(desktop)
    desktop.get_by_label("Date of birth").fill("1990-01-01")
    desktop.get_by_role("button", name="Continue").click()
    expect(desktop.get_by_text("This does not match what we have")).to_have_count(2)
    browse.audit(desktop)
    desktop.get_by_label("Date of birth").fill("1988-03-14")
    desktop.get_by_role("button", name="Continue").click()

    answer_pages(browse, desktop, WORKED_EXAMPLE[4:])
    reference = submit_and_see_summary(browse, desktop)

    # Back on either device: no dead end, and nothing of the answers on the phone.
    desktop.goto("/questionnaire/contact")
    expect_page(desktop, re.compile("Your answers were sent on"))
    expect(desktop.get_by_text(reference)).to_be_visible()
    browse.audit(desktop)
    phone.goto("/questionnaire/about")
    expect_page(phone, "Your saved answers are no longer here")
    browse.audit(phone)
    desktop.goto(continue_path)
    expect_page(desktop, "This link cannot be used")
    browse.audit(desktop)

    # The summary link of the confirmation email, the evening before the visit.
    with live_server.app.app_context():
        submission = db.session.scalar(select(Submission))
        summary_path = urlsplit(resume.summary_link_url(submission)).path
        db.session.commit()
    evening = browse.new_page(DESKTOP, javascript=False)
    evening.goto(summary_path)
    expect_page(evening, "Open your summary")
    browse.audit(evening)
    evening.get_by_label("Date of birth").fill("1988-03-14")
    evening.get_by_role("button", name="Continue").click()
    expect_page(evening, "Your answers have been sent")
    expect(evening.get_by_role("strong").filter(has_text=reference)).to_be_visible()
    browse.assert_self_contained()
