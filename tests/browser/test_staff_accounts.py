"""An admin invites a clinician from the browser; the clinician chooses a password, sets up
two-factor sign-in with an authenticator app, and signs in with a code (issue 14)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from screening.extensions import db
from screening.models import OutboxEmail
from tests.browser.browsing import Browsing
from tests.browser.clinician import sign_in
from tests.browser.server import LiveServer

pytestmark = pytest.mark.browser
ADMIN = "manager@clinic.example"
NEWCOMER = "new.clinician@clinic.example"
NEW_PASSWORD = "lantern orchard seventy pebbles"


def invitation_path(live_server: LiveServer) -> str:
    with live_server.app.app_context():
        email = db.session.scalars(select(OutboxEmail)).one()
        return re.search(r"/clinician/invitation/\S+", email.body).group(0)


def test_an_admin_invites_a_clinician_who_signs_in_with_two_factor(
    browse: Browsing, live_server: LiveServer
):
    password = live_server.add_clinician(ADMIN, role="admin")
    admin = browse.new_page()
    sign_in(browse, admin, ADMIN, password)
    admin.get_by_role("link", name="Staff accounts").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Staff accounts")
    admin.get_by_label("Email address").fill(NEWCOMER)
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text(f"An invitation was sent to {NEWCOMER}")).to_be_visible()
    browse.audit(admin)

    newcomer = browse.new_page()
    newcomer.goto(invitation_path(live_server))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Choose your password")
    browse.audit(newcomer)
    newcomer.get_by_label("Choose a password").fill(NEW_PASSWORD)
    newcomer.get_by_label("Type the password again").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Continue").click()

    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(newcomer.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    browse.audit(newcomer)
    secret = newcomer.locator("#secret").inner_text().replace(" ", "")
    newcomer.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    newcomer.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(
        newcomer.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    browse.audit(newcomer)
    newcomer.get_by_role("link", name="I have kept them: continue").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Review queue")
    newcomer.get_by_role("button", name="Sign out").click()

    # Next time: the password, then a code (the next one: each code works once).
    newcomer.get_by_label("Email address").fill(NEWCOMER)
    newcomer.get_by_label("Password").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Sign in").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    browse.audit(newcomer)
    newcomer.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    newcomer.get_by_role("button", name="Sign in").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Review queue")

    admin.reload()
    row = admin.get_by_role("row").filter(has_text=NEWCOMER)
    expect(row).to_contain_text("On")
    expect(row).not_to_contain_text("Never")
