"""Printing: the patient's summary and the clinician's visit summary, as Chromium prints them."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.browsing import ARTIFACTS, Browsing
from tests.browser.clinician import EMAIL, WORKED_EXAMPLE_FLAG_TITLES, sign_in
from tests.browser.patient import WORKED_EXAMPLE_TOPICS, answer_by_http, submit_by_http
from tests.browser.server import LiveServer
from tests.helpers import worked_example
from tests.pdf_layout import (
    layout_problems,
    longest_demo_documents,
    missing_running_header,
    printed_pages,
)

pytestmark = pytest.mark.browser


def printed(
    page: Page, name: str, header: list[str] | None = None, numbered: str = "Page {page} of {pages}"
) -> list[str]:
    """The page printed to PDF (kept in artifacts/), as the text of each printed page; fails
    when words overlap or leave the printable area, or when a page lacks the running header
    (`header`, and its "Page x of y" as `numbered` says it)."""
    pdf = page.pdf(format="Letter")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(pdf)
    layout = printed_pages(pdf)
    problems = layout_problems(layout) + missing_running_header(layout, header or [], numbered)
    assert not problems, f"{name}:\n" + "\n".join(problems)
    # NFKC turns the typeset ligatures (such as "ﬀ" in "Off-label") back into letters.
    return [
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def on_screen_controls(page: Page) -> list[str]:
    """The names of the buttons, and of the links in the navigation, as the screen shows them."""
    buttons = page.get_by_role("button").all_inner_texts()
    nav_links = page.get_by_role("navigation").get_by_role("link").all_inner_texts()
    return [" ".join(name.split()) for name in [*buttons, *nav_links] if name.strip()]


def assert_no_controls_printed(text: str, controls: list[str]) -> None:
    for control in controls:
        assert not re.search(rf"\b{re.escape(control)}\b", text), f"{control!r} was printed"


def test_the_patient_summary_prints_on_at_most_two_pages(browse: Browsing):
    page = browse.new_page()
    answer_by_http(page, worked_example())
    submit_by_http(page)
    page.goto("/questionnaire/summary")
    reference = page.get_by_text("Your reference code").get_by_role("strong").inner_text().strip()
    controls = [*on_screen_controls(page), "Skip to main content"]
    assert "Print this summary" in controls

    pages = printed(page, "patient-summary.pdf", [f"Reference {reference}", "Alex Example"])

    assert 1 <= len(pages) <= 2, f"{len(pages)} pages"
    for number, text in enumerate(pages, start=1):
        assert f"Reference {reference}" in text, f"no reference on page {number}"
    text = " ".join(pages)
    for topic in WORKED_EXAMPLE_TOPICS:
        assert topic in text
    assert_no_controls_printed(text, controls)
    assert "If you are in crisis" not in text  # the site footer is not printed
    browse.assert_self_contained()


def test_the_spanish_patient_summary_prints_in_spanish_with_its_accents(browse: Browsing):
    page = browse.new_page()
    page.request.get("/language/es?next=/")
    answer_by_http(page, worked_example())
    submit_by_http(page)
    page.goto("/questionnaire/summary")
    reference = page.get_by_text("Su código de referencia").get_by_role("strong").inner_text()
    header = [f"Referencia {reference.strip()}", "Alex Example", "fecha de nacimiento 1988-03-14"]

    pages = printed(page, "patient-summary-es.pdf", header, "Página {page} de {pages}")

    assert 1 <= len(pages) <= 2, f"{len(pages)} pages"
    text = " ".join(pages)
    for words in ("¿De qué temas querrá hablar su clínico?", "de 9 de la mañana a 5 de la tarde"):
        assert words in text  # ¿, á, í and ñ come out as letters


def test_the_clinician_visit_summary_prints_on_at_most_two_pages(
    browse: Browsing, live_server: LiveServer
):
    password = live_server.add_clinician(EMAIL)
    submission_id, reference = live_server.add_submission(worked_example())
    page = browse.new_page()
    sign_in(browse, page, EMAIL, password)
    page.goto(f"/clinician/submissions/{submission_id}/print")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Screening summary")
    browse.audit(page)
    controls = [
        *on_screen_controls(page),
        "Skip to main content",
        "Back to the submission",
        "Download PDF",
    ]
    assert "Print" in controls and "Review queue" in controls

    pages = printed(page, "visit-summary.pdf", [f"Reference {reference}", "Alex Example"])

    assert 1 <= len(pages) <= 2, f"{len(pages)} pages"
    for number, text in enumerate(pages, start=1):
        assert f"Reference {reference}" in text, f"no reference on page {number}"
    text = " ".join(pages)
    for title in WORKED_EXAMPLE_FLAG_TITLES:
        assert title in text
    assert "Alex Example" in text
    assert_no_controls_printed(text, controls)
    browse.assert_self_contained()


def _header(reference: str, doc: dict) -> list[str]:
    return [
        f"Reference {reference}",
        doc["contact"]["full_name"],
        f"born {doc['about']['date_of_birth']}",
    ]


def test_the_longest_summaries_print_nothing_over_anything(
    browse: Browsing, live_server: LiveServer
):
    """The demo submissions with the most flags, trials and notes, as the patient and as the
    clinician print them: every page readable and labelled with whose it is."""
    documents = longest_demo_documents(datetime.now(UTC).date())
    for which, doc in documents.items():
        page = browse.new_page()
        answer_by_http(page, doc)
        submit_by_http(page)
        page.goto("/questionnaire/summary")
        reference = page.get_by_text("Your reference code").get_by_role("strong").inner_text()
        printed(page, f"patient-summary-{which}.pdf", _header(reference.strip(), doc))

    password = live_server.add_clinician(EMAIL)
    page = browse.new_page()
    sign_in(browse, page, EMAIL, password)
    for which, doc in documents.items():
        submission_id, reference = live_server.add_submission(doc)
        page.goto(f"/clinician/submissions/{submission_id}/print")
        printed(page, f"visit-summary-{which}.pdf", _header(reference, doc))
    browse.assert_self_contained()
