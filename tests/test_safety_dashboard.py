"""The safety dashboard: open alerts, median and 90th percentile times per level and period."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from screening.clinician.safety import percentile
from screening.extensions import db
from screening.models import Alert, ContactAttempt, Submission, utcnow
from tests.helpers import worked_example


def urgent_doc() -> dict:
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    return doc


def test_nearest_rank_percentiles():
    assert percentile([], 0.5) is None
    assert percentile([4, 1, 3, 2], 0.5) == 2
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([7], 0.9) == 7


def test_only_admins_see_the_dashboard(client: FlaskClient, sign_in_as):
    sign_in_as("clinician")
    assert client.get("/clinician/safety").status_code == 403


def test_the_dashboard_shows_times_per_level_and_period_and_open_alerts(
    app: Flask, client: FlaskClient, make_submission, make_user, sign_in_as
):
    staff = make_user(email="nurse@example.org")
    now = utcnow()
    # Three urgent submissions 10 days ago: acknowledged after 10, 20 and 90 minutes, reached
    # after 60 minutes for one; one more, 100 days ago (outside 4 and 12 weeks); one open.
    made = []
    for minutes, age_days in ((10, 10), (20, 10), (90, 10), (30, 100)):
        created = now - timedelta(days=age_days)
        made.append((make_submission(urgent_doc(), created_at=created), created, minutes))
    open_id = make_submission(urgent_doc())
    with app.app_context():
        for sid, created, minutes in made:
            db.session.add(
                Alert(
                    level="urgent",
                    state="acknowledged",
                    reference=db.session.get(Submission, sid).reference,
                    submission_id=sid,
                    created_at=created,
                    acknowledged_at=created + timedelta(minutes=minutes),
                    acknowledged_by_id=staff,
                )
            )
            if minutes == 20:
                db.session.add(
                    ContactAttempt(
                        submission_id=sid,
                        author_id=staff,
                        method="phone",
                        outcome="reached",
                        at=created + timedelta(minutes=60),
                    )
                )
        db.session.add(Alert(level="urgent", reference="OPEN3467", submission_id=open_id))
        db.session.commit()
    sign_in_as("admin")
    html = client.get("/clinician/safety").get_data(as_text=True)
    assert "OPEN3467" in html and "waiting 0 min" in html
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1]
    rows = [r for r in html.split("<tr>") if "Submission to acknowledgement" in r]
    urgent_4 = next(r for r in rows if "last 4 weeks" in r and "Urgent" in r)
    assert "<td>3</td><td>20 min</td><td>90 min</td><td>1</td>" in urgent_4  # 1 still open
    urgent_52 = next(r for r in rows if "last 52 weeks" in r and "Urgent" in r)
    assert "<td>4</td><td>20 min</td><td>90 min</td>" in urgent_52
    reached = next(
        r
        for r in html.split("<tr>")
        if "first reached contact" in r and "last 4 weeks" in r and "Urgent" in r
    )
    assert "<td>1</td><td>60 min</td><td>60 min</td><td>3</td>" in reached
