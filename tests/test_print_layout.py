"""The printed summaries as WeasyPrint lays them out: nothing printed over anything else, nothing
off the paper, and the reference, name, date of birth and page number on every page."""

from __future__ import annotations

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
