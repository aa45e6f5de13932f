"""The clinician workspace: access, queue, submission page, notes, status. (The visit summary,
exports, audit log and purge: test_clinician_records.py.)"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from screening.extensions import db
from screening.models import Note, Submission
from tests.clinician_helpers import (
    audit_rows,
    high_doc,
    reference_of,
    references_in,
    review_doc,
    text_of,
    urgent_doc,
)
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
