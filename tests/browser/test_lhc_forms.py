"""The FHIR Questionnaire as another tool sees it: LHC-Forms (the NLM's FHIR SDC renderer, npm
`lforms`, served from node_modules; nothing comes from the network) renders it, applies its
enableWhen rules, and reads each demo submission's QuestionnaireResponse back.

Not checked yet: the PCL-5 left unanswered in Spanish (SPANISH.md), which waits for the Spanish
questionnaire; the Questionnaire does not express it yet.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Route

from screening.demo import demo_documents
from screening.fhir import questionnaire_resource, questionnaire_response
from screening.questionnaire.schema import PAGES

pytestmark = pytest.mark.browser

LFORMS = Path(__file__).parent / "node_modules" / "lforms" / "dist" / "lforms"
ORIGIN = "http://lforms.invalid"
HARNESS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="stylesheet" href="/webcomponent/styles.css">
<script src="/webcomponent/assets/lib/zone.min.js"></script>
<script src="/webcomponent/runtime.js" type="module"></script>
<script src="/webcomponent/polyfills.js" type="module"></script>
<script src="/webcomponent/main.js" type="module"></script>
<script src="/fhir/R4/lformsFHIR.min.js" defer></script>
</head><body><div id="form"></div></body></html>"""

# For each response: merged into the form, the linkIds LHC-Forms enables, the response it gives
# back and its validity errors (null when valid).
MERGE_EACH = """([questionnaire, responses]) => responses.map(response => {
  const merged = LForms.Util.mergeFHIRDataIntoLForms(
    response, LForms.Util.convertFHIRQuestionnaireToLForms(questionnaire, "R4"), "R4");
  const form = new LForms.LFormsData(merged);
  const enabled = [];
  const walk = items => { for (const i of items || []) { enabled.push(i.linkId); walk(i.items); } };
  walk(form.getUserData(false, false, true).itemsData);
  return {
    enabled,
    back: LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", form),
    errors: form.checkValidity(),
  };
})"""
RENDER = """async ([questionnaire, response]) => {
  const merged = LForms.Util.mergeFHIRDataIntoLForms(
    response, LForms.Util.convertFHIRQuestionnaireToLForms(questionnaire, "R4"), "R4");
  await LForms.Util.addFormToPage(merged, "form", {fhirVersion: "R4"});
  return document.getElementById("form").innerText;
}"""


def _serve_lforms(route: Route, outside: list[str]) -> None:
    url = route.request.url
    if not url.startswith(ORIGIN + "/"):
        outside.append(url)
        route.abort()
        return
    path = url.removeprefix(ORIGIN).split("?")[0]
    if path == "/":
        route.fulfill(status=200, content_type="text/html", body=HARNESS)
        return
    target = (LFORMS / path.lstrip("/")).resolve()
    if LFORMS.resolve() in target.parents and target.is_file():
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=200, content_type=mime, body=target.read_bytes())
    else:
        route.fulfill(status=404, body="")


def _answers(response: dict[str, Any]) -> dict[str, list[Any]]:
    """linkId (with its group path) -> the answer values, whatever the wrapping."""
    found: dict[str, list[Any]] = {}

    def walk(items: list[dict[str, Any]], parents: str) -> None:
        for item in items:
            where = f"{parents}/{item['linkId']}"
            for answer in item.get("answer", []):
                ((kind, value),) = answer.items()
                found.setdefault(where, []).append(
                    value["code"] if kind == "valueCoding" else value
                )
            walk(item.get("item", []), where)

    walk(response.get("item", []), "")
    return found


def _shown_in_the_app(doc: dict[str, Any]) -> set[str]:
    """Pages and questions the app asks for this document (the pages' own rule objects)."""
    shown = set()
    for page in PAGES:
        if page.questions and page.is_shown(doc):
            shown.add(page.slug)
            shown.update(q.path for q in page.questions if q.is_shown(doc))
    return shown


@pytest.fixture
def lforms_page(chromium: Browser):
    if not (LFORMS / "webcomponent" / "main.js").is_file():
        pytest.fail("lforms is not installed: make test runs npm ci in tests/browser")
    context = chromium.new_context()
    outside: list[str] = []
    context.route("**/*", lambda route: _serve_lforms(route, outside))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("!!(window.LForms && LForms.Util && LForms.FHIR && LForms.LFormsData)")
    yield page
    context.close()
    assert not outside, f"LHC-Forms asked the network for {outside}"
    assert not errors, errors


def test_lhc_forms_applies_every_rule_and_reads_every_demo_submission_back(lforms_page):
    page = lforms_page
    questionnaire = questionnaire_resource()
    asked = [p for p in PAGES if p.questions]
    questions = {p.slug for p in asked} | {q.path for p in asked for q in p.questions}
    # Every rule (a page's or a question's) shows and hides in these submissions.
    ruled = [(p.slug, p) for p in asked if p.shown] + [
        (q.path, q) for p in asked for q in p.questions if q.shown
    ]
    documents = demo_documents(datetime.now(UTC).date())
    responses = [questionnaire_response(doc, "2026-11-21T10:00:00+00:00", 1) for doc in documents]

    results = page.evaluate(MERGE_EACH, [questionnaire, responses])

    for doc, response, result in zip(documents, responses, results, strict=True):
        name = doc["contact"]["full_name"]
        enabled = set(result["enabled"]) & questions
        assert enabled == _shown_in_the_app(doc), name
        assert result["errors"] is None, f"{name}: {result['errors']}"
        assert _answers(result["back"]) == _answers(response), name

    # Every item of the Questionnaire is drawn: the answers of the demo submission that shows the
    # most, and every question it does not show, each behind a rule the others cover both ways.
    widest = max(range(len(documents)), key=lambda i: len(results[i]["enabled"]))
    text = " ".join(page.evaluate(RENDER, [questionnaire, responses[widest]]).split())
    drawn = _texts(questionnaire, set(results[widest]["enabled"]))
    missing = [t for t in drawn if " ".join(t.split()) not in text]
    assert not missing, f"LHC-Forms did not draw {missing}"
    never_enabled = questions - set().union(*(set(r["enabled"]) for r in results))
    assert not never_enabled, f"no demo submission shows {never_enabled}"
    for name, target in ruled:
        assert {target.is_shown(doc) for doc in documents} == {True, False}, name


def _texts(questionnaire: dict[str, Any], enabled: set[str]) -> list[str]:
    texts = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["linkId"] in enabled and item.get("text"):
                texts.append(item["text"])
            walk(item.get("item", []))

    walk(questionnaire["item"])
    return texts
