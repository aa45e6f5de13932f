"""A clinician, as the browser tests need one: an email address, signing in, what to expect."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.browsing import Browsing

EMAIL = "clinician@clinic.example"
# The titles of the worked example's two flags, off_label and cost_concern (FLAGS.md).
WORKED_EXAMPLE_FLAG_TITLES = [
    "Off-label: primary concern is Obsessive-compulsive disorder",
    "Cost or payment concern",
]


def sign_in(browse: Browsing, page: Page, email: str, password: str) -> None:
    """Sign in on the sign-in page, checking it with axe-core on the way."""
    page.goto("/clinician/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    browse.audit(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
