"""The calling-back workspace: times in the clinic's time zone, who the person is on the queue."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from screening import create_app
from screening.clinician.workspace import age_from
from screening.extensions import db
from screening.models import Submission
from tests.helpers import csrf_token, worked_example

# 17:05 UTC on 15 January is 09:05 in Los Angeles (PST, UTC-8).
SUBMITTED = datetime(2026, 1, 15, 17, 5, tzinfo=UTC)
QUEUE = "/clinician/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def los_angeles(app):
    app.config["CLINIC_TIMEZONE"] = "America/Los_Angeles"
    return app


def test_queue_and_submission_show_the_clinic_s_local_time(
    los_angeles, client, sign_in_as, make_submission
):
    submission_id = make_submission(created_at=SUBMITTED)
    sign_in_as()
    queue = text_of(client.get("/clinician/"))
    assert "2026-01-15 09:05 PST" in queue
    assert "17:05" not in queue
    page = text_of(client.get(f"/clinician/submissions/{submission_id}"))
    assert "2026-01-15 09:05 PST" in page
    assert "17:05" not in page


def test_times_stay_utc_by_default(client, sign_in_as, make_submission):
    make_submission(created_at=SUBMITTED)
    sign_in_as()
    assert "2026-01-15 17:05 UTC" in text_of(client.get("/clinician/"))


def test_an_unknown_time_zone_stops_the_app_at_start():
    with pytest.raises(RuntimeError, match="CLINIC_TIMEZONE"):
        create_app({"ENV_NAME": "test", "CLINIC_TIMEZONE": "Mars/Olympus_Mons"})


def test_the_queue_shows_name_age_and_time_waiting(client, sign_in_as, make_submission):
    make_submission(created_at=SUBMITTED)
    sign_in_as()
    row = text_of(client.get("/clinician/"))
    doc = worked_example()
    assert doc["contact"]["full_name"] in row
    age = age_from(doc["about"]["date_of_birth"], datetime.now(UTC).date())
    assert f"{doc['contact']['full_name']} {age} " in row
    assert "Waiting" in row
    assert re.search(r"\d+ d \d+ h", row)  # submitted months ago


def test_the_submission_opens_with_who_to_call_back(client, sign_in_as, make_submission):
    submission_id = make_submission()
    sign_in_as()
    html = client.get(f"/clinician/submissions/{submission_id}").get_data(as_text=True)
    header = html[html.index('id="person-title"') : html.index("</section>")]
    assert '<a href="tel:+14155550100">+1 415 555 0100</a>' in header
    assert '<a href="mailto:alex@example.org">alex@example.org</a>' in header
    assert "Alex Example" in header
    assert "Preferred contact</dt><dd>Email" in header
    # The worked example's two items for review, before the long answer list.
    assert "Off-label" in text_of_html(header) or "off-label" in text_of_html(header).lower()
    assert html.index('id="person-title"') < html.index('id="answers-title"')
    assert '<details class="answer-section" open>' in html


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_sources_show_as_short_citations_with_the_full_reference(
    client, sign_in_as, make_submission
):
    submission_id = make_submission()
    sign_in_as()
    html = client.get(f"/clinician/submissions/{submission_id}").get_data(as_text=True)
    assert '<abbr class="citation" title="The clinic&#39;s own thresholds' in html
    assert ">Clinic policy</abbr>" in html
    assert "clinic_policy" not in html


def test_staff_pages_have_their_own_footer(client, sign_in_as):
    sign_in_as()
    page = text_of(client.get("/clinician/"))
    assert "clinic staff workspace" in page
    assert "does not diagnose you" not in page


def test_flag_filter_uses_flag_titles(client, sign_in_as):
    sign_in_as()
    page = client.get("/clinician/").get_data(as_text=True)
    assert ">No blood pressure reading given</option>" in page
    assert "Bp unknown" not in page
    assert "Sri trials" not in page


def test_mark_reviewed_asks_first(app, client, sign_in_as, make_submission):
    submission_id = make_submission()
    sign_in_as()
    page = f"/clinician/submissions/{submission_id}"
    html = client.get(page).get_data(as_text=True)
    assert f'<a class="button button--secondary" href="{page}/reviewed">Mark reviewed…</a>' in html
    confirm = client.get(f"{page}/reviewed")
    assert confirm.status_code == 200
    assert "Yes, mark reviewed" in text_of(confirm)
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "new"
    client.post(f"{page}/reviewed", data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "reviewed"
    # Once reviewed, the confirmation page sends the clinician back to the submission.
    assert client.get(f"{page}/reviewed").headers["Location"].endswith(page)


def test_the_printed_summary_shows_the_clinic_s_local_time(
    los_angeles, client, sign_in_as, make_submission
):
    submission_id = make_submission(created_at=SUBMITTED)
    sign_in_as()
    printed = text_of(client.get(f"/clinician/submissions/{submission_id}/print"))
    assert "Submitted 2026-01-15 09:05 PST" in printed
    assert "17:05" not in printed and "UTC" not in printed


def test_the_queue_s_dates_are_the_clinic_s_days(los_angeles, client, sign_in_as, make_submission):
    # 05:30 UTC on 16 January is still the evening of 15 January in Los Angeles.
    make_submission(created_at=datetime(2026, 1, 16, 5, 30, tzinfo=UTC))
    sign_in_as()
    on_the_15th = text_of(client.get(f"{QUEUE}?submitted_from=2026-01-15&submitted_to=2026-01-15"))
    on_the_16th = text_of(client.get(f"{QUEUE}?submitted_from=2026-01-16&submitted_to=2026-01-16"))
    assert "2026-01-15 21:30 PST" in on_the_15th
    assert "2026-01-15 21:30 PST" not in on_the_16th


def test_a_call_back_is_typed_in_clinic_time_and_stored_in_utc(
    los_angeles, client, sign_in_as, make_submission
):
    from screening.models import ContactAttempt

    submission_id = make_submission()
    sign_in_as()
    page = client.get(f"/clinician/submissions/{submission_id}").get_data(as_text=True)
    assert "When (America/Los_Angeles time)" in page
    response = client.post(
        f"/clinician/submissions/{submission_id}/contacts",
        data={
            "csrf_token": csrf_token(page),
            "at": "2026-01-15T09:05",
            "method": "phone",
            "outcome": "reached",
            "note": "",
        },
    )
    assert response.status_code == 302
    with los_angeles.app_context():
        stored = db.session.scalars(db.select(ContactAttempt.at)).one()
    assert stored.replace(tzinfo=UTC) == SUBMITTED  # 09:05 PST is 17:05 UTC
    shown = text_of(client.get(f"/clinician/submissions/{submission_id}"))
    assert "2026-01-15 09:05 PST" in shown
