"""The printed summaries as WeasyPrint lays them out: nothing printed over anything else, nothing
off the paper, and the reference, name, date of birth and page number on every page."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from screening import rules, services
from screening.clinician.exports import html_to_pdf, visit_summary_pdf
from screening.extensions import db
from screening.models import Submission
from screening.summary import summary_context
from tests.pdf_layout import (
    layout_problems,
    longest_demo_documents,
    missing_running_header,
    printed_pages,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
TODAY = datetime.now(UTC).date()
DOCUMENTS = longest_demo_documents(TODAY)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """SQLite only: the layout does not depend on the database, and PDFs take a while."""
    yield f"sqlite:///{tmp_path / 'test.db'}"


def _stored(app: Flask, doc: dict) -> Submission:
    item = services.store_submission(
        doc, TODAY, rules.Thresholds.from_config(app.config), submit_key=f"print-{id(doc)}"
    )
    db.session.commit()
    return item


def _check(name: str, pdf: bytes, doc: dict, expected: list[str]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"weasyprint-{name}.pdf").write_bytes(pdf)
    pages = printed_pages(pdf)
    assert pages, "no pages"
    problems = layout_problems(pages) + missing_running_header(pages, expected)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("which", DOCUMENTS)
def test_visit_summary_pdf_prints_nothing_over_anything(app: Flask, which: str):
    doc = DOCUMENTS[which]
    with app.app_context(), app.test_request_context():
        item = _stored(app, doc)
        pdf = visit_summary_pdf(item)
        expected = [
            f"Reference {item.reference}",
            doc["contact"]["full_name"],
            f"born {doc['about']['date_of_birth']}",
        ]
    _check(f"visit-summary-{which}", pdf, doc, expected)


@pytest.mark.parametrize("which", DOCUMENTS)
def test_patient_summary_prints_nothing_over_anything(app: Flask, which: str):
    doc = DOCUMENTS[which]
    with app.app_context(), app.test_request_context():
        from flask import render_template

        item = _stored(app, doc)
        html = render_template(
            "patient/confirmation.html", submission=item, summary=summary_context(item)
        )
        pdf = html_to_pdf(html)
        expected = [
            f"Reference {item.reference}",
            doc["contact"]["full_name"],
            f"born {doc['about']['date_of_birth']}",
        ]
    _check(f"patient-summary-{which}", pdf, doc, expected)


def _urgent(doc: dict) -> dict:
    """A document whose summary prints the crisis lines first (in Spanish: "español", ñ)."""
    urgent = copy.deepcopy(doc)
    urgent["symptoms"]["phq9"][8] = 2
    urgent["safety"]["suicide_plan_or_intent"] = "yes"
    return urgent


SPANISH = {**DOCUMENTS, "urgent": _urgent(DOCUMENTS["most-flags"])}


@pytest.mark.parametrize("which", SPANISH)
def test_the_spanish_patient_summary_prints_its_accents_and_nothing_over_anything(
    app: Flask, which: str
):
    doc = {**SPANISH[which], "language": "es"}
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "es"}):
        from flask import render_template

        item = _stored(app, doc)
        summary = summary_context(item)
        html = render_template("patient/confirmation.html", submission=item, summary=summary)
        pdf = html_to_pdf(html)
    expected = [
        f"Referencia {item.reference}",
        doc["contact"]["full_name"],
        f"fecha de nacimiento {doc['about']['date_of_birth']}",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"weasyprint-patient-summary-es-{which}.pdf").write_bytes(pdf)
    pages = printed_pages(pdf)
    numbered = "Página {page} de {pages}"
    problems = layout_problems(pages) + missing_running_header(pages, expected, numbered)
    assert not problems, "\n".join(problems)
    printed = " ".join(page.text for page in pages)
    # Accented letters come out as letters (the font has them), not boxes or dropped glyphs.
    for words in ("¿De qué temas querrá hablar su clínico?", "Estado de ánimo y ansiedad"):
        assert words in printed
    assert "Sobre usted" in printed and "Salud física y medicinas" in printed
    # The crisis lines of SPANISH.md §3 when the summary shows them (always for "urgent").
    crisis_lines = summary["show_crisis"] or summary["contact_soon"]
    assert ("oprima 2 para hablar en español" in printed) is crisis_lines
    assert crisis_lines or which != "urgent"
    assert "de 9 de la mañana a 5 de la tarde" in printed  # the clinic's hours (ñ)
    assert "\ufffd" not in printed  # no replacement character where a glyph was missing
