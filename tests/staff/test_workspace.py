"""The calling-back workspace: times in the clinic's time zone, who the person is on the queue."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from screening import create_app
from screening.clinician.workspace import age_from
from tests.helpers import worked_example

# 17:05 UTC on 15 January is 09:05 in Los Angeles (PST, UTC-8).
SUBMITTED = datetime(2026, 1, 15, 17, 5, tzinfo=UTC)


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
