"""What the virtual users do: fetch one page, fill in a whole questionnaire, read the queue.

Scenarios are plain data (they are pickled into the load processes) and never import the app:
the form fields are worked out once, in the parent, by `questionnaire_fields`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import ROOT
from .client import Client, Form, RequestFailed, csrf_token
from .load import User

WORKED_EXAMPLE = ROOT / "tests" / "data" / "worked_example.json"
Cookies = tuple[tuple[str, str], ...]
MAX_PAGES = 20  # more than the questionnaire has: a loop means a page kept sending us back


def worked_example() -> dict[str, Any]:
    """The example document of QUESTIONNAIRE.md."""
    return json.loads(WORKED_EXAMPLE.read_text())


def questionnaire_fields(doc: dict[str, Any]) -> dict[str, Form]:
    """The form fields a person fills in on each page to give the document's answers.

    The medication rows are posted directly (`medication_trials-<i>-<field>`), as the page's
    script sends them; a browser without JavaScript would first press "Add a medicine".
    """
    from screening.patient.forms import from_document
    from screening.questionnaire.schema import PAGES_BY_SLUG, REVIEW

    fields: dict[str, Form] = {}
    for slug, page in PAGES_BY_SLUG.items():
        if page is REVIEW:
            continue
        raw = from_document(page, doc).raw
        fields[slug] = [(key, value) for key in raw for value in raw.getlist(key) if value]
    return fields


def answer_page(user: User, fields: dict[str, Form], slug: str) -> str:
    """GET a page for its CSRF token and POST its answers; returns where the server sends us."""
    page = user.get(f"/questionnaire/{slug}")
    form = [("csrf_token", csrf_token(page.body)), *fields[slug]]
    return user.post(f"/questionnaire/{slug}", form).header("location")


@dataclass(frozen=True)
class GetPage:
    """GET one path, again and again."""

    path: str

    def prepare(self, user: User) -> None:
        """Nothing to prepare: the page needs no session."""

    def iteration(self, user: User) -> None:
        user.get(self.path)


@dataclass(frozen=True)
class Questionnaire:
    """A new patient each time: every page (GET for the token, POST the answers), the review
    page, submit, and the confirmation page, following the server's redirects."""

    fields: dict[str, Form]
    first_slug: str = "start"

    def prepare(self, user: User) -> None:
        """Nothing to prepare: each iteration starts with no cookies."""

    def iteration(self, user: User) -> None:
        user.client.cookies.clear()
        slug = self.first_slug
        for _ in range(MAX_PAGES):
            location = answer_page(user, self.fields, slug)
            if location.endswith("/questionnaire/review"):
                break
            slug = location.rsplit("/", 1)[-1]
            if slug not in self.fields:
                raise RequestFailed(f"unexpected redirect to {location}")
        else:
            raise RequestFailed("the questionnaire never reached the review page")
        review = user.get("/questionnaire/review")
        submitted = user.post("/questionnaire/submit", [("csrf_token", csrf_token(review.body))])
        if not submitted.header("location").endswith("/questionnaire/summary"):
            raise RequestFailed(f"submit went to {submitted.header('location')}")
        if b'class="reference"' not in user.get("/questionnaire/summary").body:
            raise RequestFailed("the summary page shows no reference code")


def clinician_cookies(address: tuple[str, int], email: str, password: str, secret: str) -> Cookies:
    """Sign in as a clinician would in production: the password form, then the authenticator
    code form (each with its CSRF token); returns the signed-in browser's cookies.

    Done once per server: a code is accepted once (no replay), so the virtual users share
    this one signed-in session rather than each signing in within the same 30 seconds."""
    import pyotp

    browser = User(Client(*address))
    form = csrf_token(browser.get("/clinician/sign-in").body)
    sent = browser.post(
        "/clinician/sign-in", [("csrf_token", form), ("email", email), ("password", password)]
    )
    second_step = sent.header("location")
    form = csrf_token(browser.get(second_step).body)
    code = pyotp.TOTP(secret).now()
    browser.post(second_step, [("csrf_token", form), ("code", code)])
    return tuple(browser.client.cookies.items())


@dataclass(frozen=True)
class ClinicianPage:
    """GET one clinician page again and again, signed in (`clinician_cookies`)."""

    cookies: Cookies
    path: str

    def prepare(self, user: User) -> None:
        """Take the signed-in session; a page that is not served (200) stops the run."""
        user.client.cookies.update(self.cookies)
        user.get(self.path)

    def iteration(self, user: User) -> None:
        user.get(self.path)


@dataclass(frozen=True)
class DraftPage:
    """Answer the pages before `slug` once (a draft on the server), then GET that page again
    and again: a returning patient's page, read from the draft and decrypted each time."""

    fields: dict[str, Form]
    slug: str

    def prepare(self, user: User) -> None:
        """Fill in the pages up to `slug`, following the server's redirects."""
        current = "start"
        for _ in range(MAX_PAGES):
            if current == self.slug:
                return
            current = answer_page(user, self.fields, current).rsplit("/", 1)[-1]
        raise RequestFailed(f"never reached {self.slug}")

    def iteration(self, user: User) -> None:
        user.get(f"/questionnaire/{self.slug}")
