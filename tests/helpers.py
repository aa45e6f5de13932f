"""Helpers the tests share: the worked example, CSRF-aware posting, filling pages."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from screening.patient.forms import from_document
from screening.questionnaire.schema import PAGES_BY_SLUG, QUESTIONS, with_every_key
from screening.questionnaire.types import Document, get

DATA = Path(__file__).parent / "data"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def worked_example_as_written() -> dict[str, Any]:
    """A fresh copy of the example document of QUESTIONNAIRE.md, exactly as in the file."""
    return copy.deepcopy(json.loads((DATA / "worked_example.json").read_text()))


def unanswered_required(doc: Document) -> list[str]:
    """The required questions the document asks but does not answer (paths, in page order)."""
    return [
        q.path
        for q in QUESTIONS
        if q.is_shown(doc) and q.is_required(doc) and q.answer_type.is_blank(get(doc, q.path))
    ]


def worked_example() -> dict[str, Any]:
    """The worked example, completed from the definition: a question added since the file was
    written gets its key (empty), and a required one an example answer of its kind. So a new
    question fails one test (test_fixtures.py names what the file lacks), not every test."""
    doc = with_every_key(worked_example_as_written())
    for path in unanswered_required(doc):
        parts = path.split(".")
        target = doc if len(parts) == 1 else doc[parts[0]]
        target[parts[-1]] = next(q for q in QUESTIONS if q.path == path).answer_type.example()
    return doc


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any) -> TestResponse:
    """GET the page for its CSRF token, then POST the data with it."""
    page = client.get(url)
    token = csrf_token(page.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def page_data(slug: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The form fields a person fills in on one page to give the document's answers."""
    raw = from_document(PAGES_BY_SLUG[slug], doc).raw
    return {key: raw.getlist(key) for key in raw if any(raw.getlist(key))}


def complete_questionnaire(client: FlaskClient, doc: dict[str, Any]) -> TestResponse:
    """Answer every page the document's answers show, in order, and stop at the review page."""
    response = client.get("/questionnaire/start")
    slug = "start"
    for _ in range(20):
        data = page_data(slug, doc)
        html = client.get(f"/questionnaire/{slug}").get_data(as_text=True)
        if slug == "treatments":
            html = add_trial_rows(client, len(doc["medication_trials"]))
        for name in data:
            assert f'name="{name}' in html, f"{slug} has no field {name}"
        response = post_form(client, f"/questionnaire/{slug}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        location = response.headers["Location"]
        if location.endswith("/questionnaire/review"):
            return response
        if location.endswith("/questionnaire/crisis"):
            location = _crisis_continue(client)
        slug = location.rsplit("/", 1)[-1]
    raise AssertionError("the questionnaire never reached the review page")


def add_trial_rows(client: FlaskClient, count: int) -> str:
    """Press "Add a medicine" `count` times, as a person without JavaScript would."""
    html = client.get("/questionnaire/treatments").get_data(as_text=True)
    data: dict[str, Any] = {}
    for index in range(count):
        response = client.post(
            "/questionnaire/treatments",
            data={"csrf_token": csrf_token(html), "action": "add-trial", **data},
        )
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'name="medication_trials-{index}-medication"' in html
        data.update({f"medication_trials-{i}-medication": "" for i in range(index + 1)})
    return html


def _crisis_continue(client: FlaskClient) -> str:
    html = client.get("/questionnaire/crisis").get_data(as_text=True)
    return re.search(r'href="([^"]+)">Continue with the questionnaire', html).group(1)


def submit(client: FlaskClient) -> TestResponse:
    """Press the final submit button on the review page."""
    html = client.get("/questionnaire/review").get_data(as_text=True)
    return client.post("/questionnaire/submit", data={"csrf_token": csrf_token(html)})
