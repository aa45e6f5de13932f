"""One structured log line per request, and no health information in any log."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from screening.extensions import db
from screening.logs import JsonLines
from screening.models import Submission
from tests.helpers import complete_questionnaire, csrf_token, submit, worked_example


def test_a_whole_journey_logs_routes_but_no_health_information(app, client, sign_in_as, caplog):
    caplog.set_level(logging.DEBUG)
    doc = worked_example()
    doc["notes"] = "My very private words"
    complete_questionnaire(client, doc)
    submit(client)
    client.get("/questionnaire/summary")
    sign_in_as("clinician", "dr.private@example.org")
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        submission_id, reference = submission.id, submission.reference
    page = f"/clinician/submissions/{submission_id}"
    html = client.get(page).get_data(as_text=True)
    client.post(f"{page}/notes", data={"csrf_token": csrf_token(html), "body": "Note text here"})
    client.get(f"/clinician/?reference={reference}")
    client.get(f"{page}/print")

    request_lines = [r for r in caplog.records if r.name == "screening.requests"]
    assert len(request_lines) > 30
    for record in request_lines:
        line = json.loads(JsonLines().format(record))
        assert set(line) == {"time", "level", "logger", "method", "route", "status", "duration_ms"}
        assert line["route"].startswith("/")
    routes = {json.loads(JsonLines().format(r))["route"] for r in request_lines}
    assert "/clinician/submissions/<int:submission_id>" in routes
    assert "/questionnaire/<slug>" in routes

    everything = "\n".join(
        [caplog.text, *(JsonLines().format(record) for record in caplog.records)]
    )
    for secret in (
        reference, "Alex Example", "alex@example.org", "415 555 0100", "1988-03-14",
        "My very private words", "Note text here", "dr.private@example.org", "sertraline",
    ):  # fmt: skip
        assert secret not in everything, secret


def test_an_unhandled_error_logs_the_route_not_the_path(app, client, caplog):
    def fails(code: str) -> str:
        raise RuntimeError("something broke")

    app.add_url_rule("/clinician/fails/<code>", view_func=fails)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/clinician/fails/REF12345?email=alex@example.org")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.get_data(as_text=True)
    assert "Exception on /clinician/fails/<code> [GET]" in caplog.text
    assert "REF12345" not in caplog.text
    assert "alex@example.org" not in caplog.text
