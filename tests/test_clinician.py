"""The clinician workspace: access, queue, submission page, notes, status, audit, exports."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from screening.extensions import db
from screening.models import AuditEvent, Draft, Note, Submission
from tests.helpers import csrf_token, worked_example

CLINICIAN_PAGES = [
    "/clinician/",
    "/clinician/submissions/{id}",
    "/clinician/submissions/{id}/print",
    "/clinician/submissions/{id}/summary.pdf",
]
ADMIN_PAGES = ["/clinician/audit", "/clinician/export.csv", "/clinician/submissions/{id}/fhir"]
POSTS = [
    "/clinician/submissions/{id}/start-review",
    "/clinician/submissions/{id}/reviewed",
    "/clinician/submissions/{id}/notes",
]


def urgent_doc():
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    return doc


def high_doc():
    doc = worked_example()
    doc["medical"]["ketamine_allergy"] = "yes"
    return doc


def review_doc():
    doc = worked_example()
    doc["medical"].update(bp_systolic=150, bp_diastolic=85)
    return doc


def audit_rows(app, action=None):
    with app.app_context():
        query = select(AuditEvent)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(db.session.scalars(query))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def references_in(response) -> list[str]:
    return re.findall(r'class="reference-link">([A-Z0-9]{8})<', response.get_data(as_text=True))


def reference_of(app, submission_id: int) -> str:
    with app.app_context():
        return db.session.get(Submission, submission_id).reference


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", CLINICIAN_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_go_to_sign_in(client, make_submission, url):
    submission_id = make_submission()
    response = client.get(url.format(id=submission_id))
    assert response.status_code == 302
    assert "/clinician/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("url", CLINICIAN_PAGES + ADMIN_PAGES)
def test_a_patients_session_is_turned_away(client, make_submission, url):
    from tests.helpers import complete_questionnaire, submit

    complete_questionnaire(client, worked_example())
    submit(client)  # this browser now holds a patient's summary grant
    submission_id = make_submission()
    response = client.get(url.format(id=submission_id))
    assert response.status_code == 302
    assert "/clinician/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("url", POSTS)
def test_anonymous_posts_are_refused(app, client, make_submission, url):
    submission_id = make_submission()
    # A valid token of the staff session (the patient session's token is not valid here).
    html = client.get("/clinician/sign-in").get_data(as_text=True)
    response = client.post(
        url.format(id=submission_id), data={"csrf_token": csrf_token(html), "body": "x"}
    )
    assert response.status_code == 302
    assert "/clinician/sign-in" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Note.id))) == 0
        assert db.session.get(Submission, submission_id).status == "new"


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_a_clinician_cannot_reach_admin_pages(client, sign_in_as, make_submission, url):
    submission_id = make_submission()
    sign_in_as("clinician")
    assert client.get(url.format(id=submission_id)).status_code == 403


@pytest.mark.parametrize("url", POSTS)
def test_csrf_is_required_on_every_post(app, client, sign_in_as, make_submission, url):
    submission_id = make_submission()
    sign_in_as("clinician")
    response = client.post(url.format(id=submission_id), data={"body": "a note"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Note.id))) == 0
        assert db.session.get(Submission, submission_id).status == "new"


# --- Queue --------------------------------------------------------------------------------


def test_queue_orders_by_level_then_oldest_first(app, client, sign_in_as, make_submission):
    now = datetime.now(UTC)
    info_old = make_submission(worked_example(), now - timedelta(days=5))
    review_new = make_submission(review_doc(), now - timedelta(days=1))
    urgent_new = make_submission(urgent_doc(), now - timedelta(hours=1))
    high_old = make_submission(high_doc(), now - timedelta(days=3))
    high_older = make_submission(high_doc(), now - timedelta(days=4))
    sign_in_as("clinician")
    refs = references_in(client.get("/clinician/"))
    expected = [urgent_new, high_older, high_old, review_new, info_old]
    assert refs == [reference_of(app, i) for i in expected]


def test_queue_shows_levels_by_text_and_icon(client, sign_in_as, make_submission):
    make_submission(urgent_doc())
    sign_in_as("clinician")
    html = client.get("/clinician/").get_data(as_text=True)
    assert re.search(r'<span class="level-icon" aria-hidden="true">‼</span> Urgent', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=reviewed", ["reviewed"]),
        ("status=new", ["urgent", "high", "info"]),
        ("level=high", ["high", "reviewed"]),
        ("level=urgent", ["urgent"]),
        ("flag=ketamine_allergy", ["high", "reviewed"]),
        ("flag=suicide_risk", ["urgent"]),
        ("level=high&status=new", ["high"]),
    ],
)
def test_queue_filters(app, client, sign_in_as, make_submission, query, expected):
    now = datetime.now(UTC)
    made = {
        "urgent": make_submission(urgent_doc(), now - timedelta(days=1)),
        "high": make_submission(high_doc(), now - timedelta(days=2)),
        "reviewed": make_submission(high_doc(), now - timedelta(days=1), status="reviewed"),
        "info": make_submission(worked_example(), now - timedelta(days=3)),
    }
    sign_in_as("clinician")
    refs = references_in(client.get(f"/clinician/?{query}"))
    assert refs == [reference_of(app, made[name]) for name in expected]


def test_queue_date_range_and_reference_search(app, client, sign_in_as, make_submission):
    old = make_submission(created_at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    mid = make_submission(created_at=datetime(2026, 2, 10, 23, 59, tzinfo=UTC))
    make_submission(created_at=datetime(2026, 3, 10, 0, 0, tzinfo=UTC))
    sign_in_as("clinician")
    refs = references_in(
        client.get("/clinician/?submitted_from=2026-01-11&submitted_to=2026-02-10")
    )
    assert refs == [reference_of(app, mid)]
    code = reference_of(app, old)
    typed = f"{code[:4].lower()}-{code[4:]}"  # as read over the phone
    assert references_in(client.get(f"/clinician/?reference={typed}")) == [code]


def test_queue_counts_by_status_and_level(client, sign_in_as, make_submission):
    make_submission(urgent_doc())
    make_submission(high_doc(), status="reviewed")
    make_submission(high_doc())
    sign_in_as("clinician")
    text = text_of(client.get("/clinician/"))
    assert "New 2 In review 0 Reviewed 1" in text
    assert "‼ Urgent 1 ▲ High 2 ● Review 0 ℹ Info 0" in text


def test_queue_paginates(app, client, sign_in_as, make_submission):
    start = datetime.now(UTC) - timedelta(days=30)
    for minute in range(30):
        make_submission(created_at=start + timedelta(minutes=minute))
    sign_in_as("clinician")
    first = references_in(client.get("/clinician/"))
    second_page = client.get("/clinician/?page=2")
    assert len(first) == 25
    assert len(references_in(second_page)) == 5
    assert "Page 2 of 2 (30 in all)" in text_of(second_page)
    assert not set(first) & set(references_in(second_page))


# --- Submission page ----------------------------------------------------------------------


def test_submission_page_shows_flags_evidence_scores_trials_answers(
    app, client, sign_in_as, make_submission
):
    doc = urgent_doc()
    doc["medication_trials"][0]["duration_weeks"] = None
    doc["notes"] = "I sleep badly <b>and</b> worry."
    submission_id = make_submission(doc)
    sign_in_as("clinician")
    response = client.get(f"/clinician/submissions/{submission_id}")
    text = text_of(response)
    html = response.get_data(as_text=True)
    # Flags come first, with the patient's answers as evidence and sources.
    assert text.index("Items for review") < text.index("Scores") < text.index("Medication trials")
    assert text.index("Medication trials") < text.index("Every answer") < text.index("own words")
    assert "PHQ-9 question 9 2 (More than half the days)" in text
    assert "Plan or intention Yes" in text
    # Sources as short citations, the full reference in the title (and printed after it).
    assert ">PHQ-9</abbr>" in html and ">Sanacora 2017</abbr>" in html
    assert 'title="Sanacora G. et al., A consensus statement' in html
    assert "apa_ketamine_2017" not in html
    assert "PHQ-9 12 of 27 (moderate)" in text
    # Trials: undetermined without a duration, adequate at 12 weeks and 60 mg fluoxetine.
    assert "Undetermined (dose or duration not given)" in text
    assert re.search(r"Fluoxetine \(Prozac\).*?Adequate", text)
    assert "&lt;b&gt;and&lt;/b&gt;" in html  # the patient's words are text, never HTML
    assert len(audit_rows(app, "view")) == 1


def test_older_rules_version_shows_current_flags_beside_stored(
    app, client, sign_in_as, make_submission
):
    submission_id = make_submission()
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        submission.rules_version = "0"
        submission.flags = []
        db.session.commit()
    sign_in_as("clinician")
    text = text_of(client.get(f"/clinician/submissions/{submission_id}"))
    assert "Stored (rules version 0)" in text
    assert "Current rules (version 1)" in text
    current = text.split("Current rules (version 1)")[1]
    assert "Cost or payment concern" in current


def post_with_token(client, page_url, action_url, data=None):
    html = client.get(page_url).get_data(as_text=True)
    return client.post(action_url, data={"csrf_token": csrf_token(html), **(data or {})})


def test_start_review_and_mark_reviewed(app, client, sign_in_as, make_submission):
    submission_id = make_submission()
    user_id = sign_in_as("clinician", "dr.ng@example.org")
    page = f"/clinician/submissions/{submission_id}"
    post_with_token(client, page, f"{page}/start-review")
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "in_review"
    post_with_token(client, page, f"{page}/reviewed")
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert submission.status == "reviewed"
        assert submission.reviewed_by_id == user_id
        assert submission.reviewed_at is not None
    assert len(audit_rows(app, "status_in_review")) == 1
    assert len(audit_rows(app, "status_reviewed")) == 1
    assert "Reviewed by dr.ng@example.org" in text_of(client.get(page))
    # A second "mark reviewed" changes nothing and audits nothing.
    post_with_token(client, page, f"{page}/reviewed")
    assert len(audit_rows(app, "status_reviewed")) == 1


def test_notes_are_append_only_with_author_and_time(app, client, sign_in_as, make_submission):
    submission_id = make_submission()
    sign_in_as("clinician", "dr.ng@example.org")
    page = f"/clinician/submissions/{submission_id}"
    post_with_token(client, page, f"{page}/notes", {"body": "Called; call back Monday."})
    post_with_token(client, page, f"{page}/notes", {"body": "Second note."})
    text = text_of(client.get(page))
    assert text.index("Called; call back Monday.") < text.index("Second note.")
    assert "dr.ng@example.org" in text
    with app.app_context():
        notes = list(db.session.scalars(select(Note).order_by(Note.id)))
        assert [n.body for n in notes] == ["Called; call back Monday.", "Second note."]
        assert db.session.get(Submission, submission_id).answers == worked_example()
    assert len(audit_rows(app, "note_added")) == 2
    # No route edits or deletes a note.
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"{page}/notes").status_code == 405


def test_an_empty_note_gets_a_message_and_adds_nothing(app, client, sign_in_as, make_submission):
    submission_id = make_submission()
    sign_in_as("clinician")
    page = f"/clinician/submissions/{submission_id}"
    response = post_with_token(client, page, f"{page}/notes", {"body": "   "})
    assert response.status_code == 422
    assert "Write the note before adding it." in response.get_data(as_text=True)
    assert audit_rows(app, "note_added") == []


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


def test_the_unfiltered_queue_shows_no_filter_errors(client, sign_in_as, make_submission):
    make_submission()
    sign_in_as("clinician")
    html = client.get("/clinician/").get_data(as_text=True)
    assert "Not a valid choice" not in html
    assert "error-message" not in html


def test_queue_next_links_seek_from_the_last_row_shown(app, client, sign_in_as, make_submission):
    # Two levels and equal timestamps: the seek crosses from one rank to the next, and
    # orders rows of the same second by id, as the offset pages do.
    start = datetime.now(UTC) - timedelta(days=30)
    for minute in range(30):
        make_submission(worked_example(), start + timedelta(minutes=minute // 2))
    for minute in range(30):
        make_submission(review_doc(), start + timedelta(minutes=minute // 3))
    sign_in_as("clinician")
    offset_pages = [references_in(client.get(f"/clinician/?page={n}")) for n in (1, 2, 3)]
    followed, path = [], "/clinician/"
    for _ in range(3):
        page = client.get(path)
        followed.append(references_in(page))
        link = re.search(r'href="([^"]+)" rel="next"', page.get_data(as_text=True))
        path = html.unescape(link.group(1)) if link else None
    assert followed == offset_pages
    assert [len(refs) for refs in followed] == [25, 25, 10]
    assert path is None
    assert "Page 3 of 3 (60 in all)" in text_of(client.get("/clinician/?page=3&after=999999"))
