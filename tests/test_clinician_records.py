"""The clinician's records of a submission: the visit summary (print and PDF), the CSV export,
the audit log, and purging what has expired."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from screening.extensions import db
from screening.models import AuditEvent, Draft, Submission
from tests.clinician_helpers import audit_rows, reference_of, text_of, urgent_doc
from tests.helpers import worked_example

# --- Visit summary, PDF and exports ------------------------------------------------------------


def test_print_view_has_the_summary_line_flags_and_identity(
    app, client, sign_in_as, make_submission
):
    submission_id = make_submission(urgent_doc())
    sign_in_as("clinician")
    response = client.get(f"/clinician/submissions/{submission_id}/print")
    text = text_of(response)
    assert "Screening summary — not a diagnosis or a treatment decision" in text
    assert "Alex Example" in text and "1988-03-14" in text
    assert reference_of(app, submission_id) in text
    assert "Not yet reviewed" in text
    assert len(audit_rows(app, "print")) == 1


def test_pdf_is_a_real_pdf_with_reference_and_every_flag_title(
    app, client, sign_in_as, make_submission
):
    doc = urgent_doc()
    doc["medical"].update(ketamine_allergy="yes", conditions=["aneurysm", "stroke", "seizures"])
    doc["safety"].update(substance_use="current", mania_history="unsure")
    submission_id = make_submission(doc)
    sign_in_as("clinician")
    response = client.get(f"/clinician/submissions/{submission_id}/summary.pdf")
    (Path(__file__).parent / "artifacts").mkdir(exist_ok=True)
    (Path(__file__).parent / "artifacts" / "visit-summary.pdf").write_bytes(response.data)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert 1 <= len(reader.pages) <= 2
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert reference_of(app, submission_id) in text
    assert "Screening summary — not a diagnosis or a treatment decision" in text
    with app.app_context():
        flags = db.session.get(Submission, submission_id).flags
    assert len(flags) >= 8
    for flag in flags:
        assert re.sub(r"\s+", " ", flag["title"]) in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert len(audit_rows(app, "pdf")) == 1


def test_csv_export_has_codes_and_scores_but_no_free_text(app, client, sign_in_as, make_submission):
    doc = worked_example()
    doc["notes"] = "My private words"
    make_submission(doc)
    make_submission(urgent_doc())
    sign_in_as("admin")
    response = client.get("/clinician/export.csv")
    body = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2
    assert rows[0]["flag_ids"] == "off_label cost_concern"
    assert rows[0]["phq9_total"] == "10" and rows[0]["gad7_band"] == "moderate"
    assert rows[1]["highest_level"] == "urgent"
    for secret in ("My private words", "Alex Example", "alex@example.org", "555"):
        assert secret not in body
    assert len(audit_rows(app, "export_csv")) == 1


def test_each_audited_action_writes_exactly_one_row_with_who_and_where(
    app, client, sign_in_as, make_submission
):
    submission_id = make_submission()
    user_id = sign_in_as("admin", "boss@example.org")
    base = f"/clinician/submissions/{submission_id}"
    client.get(base)
    client.get(f"{base}/print")
    client.get(f"{base}/summary.pdf")
    client.get(f"{base}/fhir")
    events = [e for e in audit_rows(app) if e.action != "sign_in"]
    assert [e.action for e in events] == ["view", "print", "pdf", "export_fhir"]
    for event in events:
        assert event.user_id == user_id
        assert event.user_email == "boss@example.org"
        assert event.submission_id == submission_id
        assert event.client_address == "127.0.0.1"
        assert event.at.tzinfo is not None


def test_audit_log_page_lists_and_filters(app, client, sign_in_as, make_submission):
    submission_id = make_submission()
    sign_in_as("admin", "boss@example.org")
    client.get(f"/clinician/submissions/{submission_id}")
    client.get(f"/clinician/submissions/{submission_id}/print")
    text = text_of(client.get("/clinician/audit?action=print"))
    assert "print" in text and "boss@example.org" in text
    assert " view " not in text
    assert "view" in text_of(client.get("/clinician/audit"))


def test_the_audit_log_cannot_be_changed_or_deleted(app, make_submission):
    from screening import services

    with app.app_context():
        event = services.audit("view", user=None, submission_id=1)
        db.session.commit()
        event.detail = "edited"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, event.id))
        with pytest.raises(PermissionError):
            db.session.flush()


# --- Data lifecycle ---------------------------------------------------------------------------


def test_purge_expired_deletes_old_drafts_and_old_reviewed_submissions(
    app, runner, make_submission
):
    now = datetime.now(UTC)
    old_reviewed = make_submission(created_at=now - timedelta(days=400), status="reviewed")
    old_new = make_submission(created_at=now - timedelta(days=400), status="new")
    recent_reviewed = make_submission(created_at=now - timedelta(days=10), status="reviewed")
    with app.app_context():
        db.session.add_all(
            [
                Draft(
                    token="old", answers={}, completed_pages=[], updated_at=now - timedelta(days=15)
                ),
                Draft(
                    token="new", answers={}, completed_pages=[], updated_at=now - timedelta(days=13)
                ),
            ]
        )
        db.session.commit()
    result = runner.invoke(args=["purge-expired"])
    assert "Deleted 1 expired drafts and 0 reviewed submissions." in result.output
    app.config["RETENTION_DAYS"] = 365
    result = runner.invoke(args=["purge-expired"])
    assert "Deleted 0 expired drafts and 1 reviewed submissions." in result.output
    with app.app_context():
        left = set(db.session.scalars(select(Submission.id)))
        assert left == {old_new, recent_reviewed}
        assert old_reviewed not in left
        assert list(db.session.scalars(select(Draft.token))) == ["new"]
    purges = audit_rows(app, "purge_expired")
    assert [p.detail for p in purges] == [
        "1 drafts, 0 submissions deleted",
        "0 drafts, 1 submissions deleted",
    ]
    assert all(p.submission_id is None for p in purges)
