"""A second download of an unchanged visit summary reuses the stored PDF; any change to the
printout renders a new one; the stored PDF is encrypted and goes with its submission."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from screening.extensions import db
from tests.helpers import csrf_token


@pytest.fixture
def renders(monkeypatch):
    """How many PDFs WeasyPrint rendered."""
    import screening.clinician.exports as exports

    calls = []
    render = exports.html_to_pdf

    def counting(html: str) -> bytes:
        calls.append(html)
        return render(html)

    monkeypatch.setattr(exports, "html_to_pdf", counting)
    return calls


def pdf_text(data: bytes) -> str:
    return re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    )


def test_an_unchanged_summary_is_rendered_once_and_a_change_renders_it_again(
    app, client, sign_in_as, make_submission, renders
):
    submission_id = make_submission()
    sign_in_as("clinician")
    url = f"/clinician/submissions/{submission_id}/summary.pdf"

    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.data == first.data
    assert len(renders) == 1
    assert "Not yet reviewed" in pdf_text(second.data)

    page = client.get(f"/clinician/submissions/{submission_id}").get_data(as_text=True)
    client.post(
        f"/clinician/submissions/{submission_id}/reviewed", data={"csrf_token": csrf_token(page)}
    )
    third = client.get(url)
    assert len(renders) == 2
    assert "Reviewed: by clinician@example.org on" in pdf_text(third.data)
    assert "Not yet reviewed" not in pdf_text(third.data)

    with app.app_context():
        stored = db.session.execute(text("SELECT pdf FROM cached_pdf")).scalar_one()
    assert "JVBER" not in stored  # base64 of "%PDF": the stored PDF is encrypted
    assert b"%PDF" not in stored.encode()


def test_purging_a_submission_deletes_its_pdf(app, client, runner, sign_in_as, make_submission):
    old = make_submission(created_at=datetime.now(UTC) - timedelta(days=400), status="reviewed")
    sign_in_as("clinician")
    assert client.get(f"/clinician/submissions/{old}/summary.pdf").status_code == 200
    app.config["RETENTION_DAYS"] = 365
    assert "1 reviewed submissions" in runner.invoke(args=["purge-expired"]).output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM cached_pdf")).scalar_one() == 0
