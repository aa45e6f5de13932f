"""The queue's counts come from a small table kept in step with the submissions, so showing the
queue never counts the submission table, however many are stored."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from screening.extensions import db
from screening.models import Submission
from screening.queue_counts import current_counts, recount
from tests.clinician_helpers import counts_submissions, recorded_statements
from tests.helpers import csrf_token, worked_example


def stored_counts() -> dict[tuple[str, int], int]:
    return {(s, r): n for s, r, n in current_counts() if n}


def counted_counts() -> dict[tuple[str, int], int]:
    rows = db.session.execute(
        select(Submission.status, Submission.highest_level_rank, func.count()).group_by(
            Submission.status, Submission.highest_level_rank
        )
    )
    return {(s, r): n for s, r, n in rows}


def quiet_doc() -> dict:
    doc = worked_example()
    doc["conditions"].update(diagnosed=["depression"], suspected=[], primary_concern="depression")
    return doc


def test_counts_follow_every_submission_status_change_and_purge(
    app, client, runner, make_submission, sign_in_as
):
    now = datetime.now(UTC)
    old = make_submission(created_at=now - timedelta(days=400), status="reviewed")
    first = make_submission()
    make_submission(status="in_review")
    with app.app_context():
        assert stored_counts() == counted_counts()
        assert sum(stored_counts().values()) == 3

    sign_in_as("clinician")
    page = client.get(f"/clinician/submissions/{first}").get_data(as_text=True)
    for action in ("start-review", "reviewed"):
        response = client.post(
            f"/clinician/submissions/{first}/{action}", data={"csrf_token": csrf_token(page)}
        )
        assert response.status_code == 302
        with app.app_context():
            assert stored_counts() == counted_counts()

    app.config["RETENTION_DAYS"] = 365
    result = runner.invoke(args=["purge-expired"])
    assert "1 reviewed submissions" in result.output
    with app.app_context():
        assert db.session.get(Submission, old) is None
        assert stored_counts() == counted_counts()
        assert sum(stored_counts().values()) == 2


def test_the_queue_shows_the_counts_without_counting_submissions(
    app, client, make_submission, sign_in_as
):
    make_submission(quiet_doc())
    make_submission(status="reviewed")
    sign_in_as("clinician")
    with recorded_statements(app) as statements:
        response = client.get("/clinician/")

    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    assert "New 1" in text and "Reviewed 1" in text
    assert not counts_submissions(statements), statements


def test_recount_repairs_counts_after_a_bulk_load(app, make_submission):
    make_submission()
    with app.app_context():
        db.session.execute(Submission.__table__.update().values(status="reviewed"))
        assert stored_counts() != counted_counts()
        recount(db.session.connection())
        assert stored_counts() == counted_counts()
