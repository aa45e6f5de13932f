"""Every validation rule of QUESTIONNAIRE.md rejected through its page as a person types it: a
linked error summary, a message beside the field, every typed value kept."""

from __future__ import annotations

import html as html_text
import re
from collections import defaultdict
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient

from screening.questionnaire.schema import QUESTIONS_BY_PATH
from tests.helpers import complete_questionnaire, page_data, post_form, worked_example
from tests.validation_cases import (
    PAGE_CASES,
    Case,
    Doc,
    base_document,
    document_for,
)

# --- What a person sees ----------------------------------------------------------------------


def field_name_of(path: str) -> str:
    """The form field (and element id) for a problem path: medication_trials[1].outcome ->
    medication_trials-1-outcome."""
    return path.replace(".", "-").replace("[", "-").replace("]", "")


def label_of(path: str) -> str:
    """The words that name the field in messages: its short name, "PHQ-9 question 4",
    "Medicine 2: How it went"."""
    if match := re.fullmatch(r"medication_trials\[(\d+)\]\.(\w+)", path):
        index, key = match.groups()
        short = next(f.short for f in QUESTIONS_BY_PATH["medication_trials"].fields if f.key == key)
        return f"Medicine {int(index) + 1}: {short}"
    if match := re.fullmatch(r"(symptoms\.\w+)\[(\d+)\]", path):
        scale, index = match.groups()
        return f"{QUESTIONS_BY_PATH[scale].short} question {int(index) + 1}"
    return QUESTIONS_BY_PATH[path].short


class ShownForm(HTMLParser):
    """The answers a form shows: text in each box, and which choices are ticked or selected."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.options: dict[str, set[str]] = defaultdict(set)
        self.chosen: dict[str, set[str]] = defaultdict(set)
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        name = attr.get("name")
        if tag == "input" and name and attr.get("type") in ("radio", "checkbox"):
            self.options[name].add(attr.get("value") or "")
            if "checked" in attr:
                self.chosen[name].add(attr.get("value") or "")
        elif tag == "input" and name and attr.get("type") not in ("hidden", "submit"):
            self.text[name] = attr.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            self.options[self._select].add(attr.get("value") or "")
            if "selected" in attr:
                self.chosen[self._select].add(attr.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.text[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.text[self._textarea] += data


def assert_typed_values_kept(html: str, data: dict[str, Any]) -> None:
    """Every answer typed is shown again: text as typed, every offered choice still chosen."""
    shown = ShownForm(html)
    for name, typed in data.items():
        values = typed if isinstance(typed, list) else [typed]
        if name in shown.options:
            # A value the page does not offer (sent by hand) cannot be shown as chosen.
            offered = [v for v in values if v in shown.options[name]]
            assert set(offered) <= shown.chosen[name], f"{name}: {typed!r} not kept"
        else:
            assert shown.text.get(name) == values[0], f"{name}: {typed!r} not kept"


def error_summary(html: str) -> list[tuple[str, str]]:
    """(target, text) of each link in the error summary, in order."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "the page has no error summary"
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', match.group(0))
    return [(target, html_text.unescape(text)) for target, text in links]


def message_beside(html: str, name: str) -> str:
    match = re.search(
        rf'<p class="error-message" id="{re.escape(name)}-error">(.*?)</p>', html, re.S
    )
    assert match, f"no error message beside {name}"
    text = html_text.unescape(re.sub(r"<[^>]+>", "", match.group(1)))
    return text.replace("Error:", "", 1).strip()


def answer_pages_before(client: FlaskClient, doc: Doc, target: str) -> None:
    """Answer each page with the document's answers, in order, until `target` comes next."""
    slug = "start"
    while slug != target:
        response = post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
        assert response.status_code == 302, f"{slug} was not accepted"
        slug = response.headers["Location"].rsplit("/", 1)[-1]
        assert slug != "review", f"{target} never came"


# --- Each rule through its page ---------------------------------------------------------------


@pytest.mark.parametrize("rule", PAGE_CASES)
def test_page_rejects(client: FlaskClient, rule: Case) -> None:
    answer_pages_before(client, base_document(rule), rule.slug)
    typed = page_data(rule.slug, document_for(rule))

    response = post_form(client, f"/questionnaire/{rule.slug}", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    name, label = field_name_of(rule.path), label_of(rule.path)
    summary = dict(error_summary(html))
    assert name in summary, summary
    assert summary[name].startswith(f"{label}: "), summary[name]
    assert message_beside(html, name) == summary[name]
    assert f'id="{name}"' in html  # the summary link leads to the field
    assert_typed_values_kept(html, typed)


# --- Pages beyond single rules ----------------------------------------------------------------


def test_page_lists_every_error_in_page_order(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = {
        "medical-bp_systolic": "300",
        "medical-bp_diastolic": "80",
        "medical-conditions": ["stroke"],
        "medical-other_medications_text": "x" * 1001,
    }

    response = post_form(client, "/questionnaire/health", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_summary(html) == [
        ("medical-bp_systolic", "Blood pressure top number (systolic): "
         "enter a whole number from 60 to 260"),
        ("medical-bp_when", "When the reading was taken: choose one answer"),
        ("medical-hypertension", "High blood pressure: choose one answer"),
        ("medical-bp_medication", "Blood pressure medicine: choose one answer"),
        ("medical-ketamine_allergy", "Allergy to ketamine: choose one answer"),
        ("medical-other_medications_text",
         "Other medicines: use 1000 characters or fewer (you used 1001)"),
    ]  # fmt: skip
    assert "<title>Error: " in html
    assert_typed_values_kept(html, typed)


def test_valid_answer_beside_an_invalid_one_is_kept(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("contact", worked_example())
    typed |= {"contact-full_name": "Sam O'Neil <Sam>", "contact-email": "sam@"}

    response = post_form(client, "/questionnaire/contact", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert [name for name, _ in error_summary(html)] == ["contact-email"]
    assert ShownForm(html).text["contact-full_name"] == "Sam O'Neil <Sam>"
    assert "<Sam>" not in html  # shown as text, never as HTML
    assert_typed_values_kept(html, typed)


def test_nothing_is_saved_when_a_page_has_errors(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("health", worked_example()) | {
        "medical-bp_systolic": "150",
        "medical-bp_diastolic": "170",
        "medical-hypertension": "yes",
    }

    assert post_form(client, "/questionnaire/health", typed).status_code == 422

    shown = ShownForm(client.get("/questionnaire/health").get_data(as_text=True))
    assert shown.text["medical-bp_systolic"] == "124"
    assert shown.text["medical-bp_diastolic"] == "78"
    assert shown.chosen["medical-hypertension"] == {"no"}
    assert client.get("/questionnaire/review").status_code == 200  # still complete


def test_a_typed_medicine_row_is_kept_after_an_error_elsewhere(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("treatments", worked_example())
    typed |= {
        "medication_trials-2-medication": "bupropion",
        "medication_trials-2-max_daily_dose_mg": "12.5",
        "medication_trials-2-outcome": "worse",
        "medication_trials-2-current": "no",
        "therapy-tms": "",
    }

    response = post_form(client, "/questionnaire/treatments", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert [name for name, _ in error_summary(html)] == ["therapy-tms"]
    assert_typed_values_kept(html, {k: v for k, v in typed.items() if v})


# --- Bugs found while writing these tests, now fixed --------------------------------------


def test_page_scale_answer_that_is_not_a_number_gets_a_message(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("mood", worked_example()) | {"symptoms-phq9-3": "²"}

    response = post_form(client, "/questionnaire/mood", typed)

    assert response.status_code == 422
    assert ("symptoms-phq9-3", "PHQ-9 question 4: choose one answer") in error_summary(
        response.get_data(as_text=True)
    )
