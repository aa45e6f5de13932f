"""Concurrent double submits and reference codes, with real threads, on SQLite and PostgreSQL.

On SQLite the requests queue for the one writer (its busy timeout); none may fail at once
with "database is locked" (a transaction that reads before it writes would).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from screening import services
from screening.extensions import db
from screening.models import Submission
from tests.helpers import complete_questionnaire, csrf_token, worked_example


def post_all_at_once(requests):
    """Run the (client, url, data) posts in threads released together; return the responses."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def post(index, client, url, data):
        barrier.wait()
        responses[index] = client.post(url, data=data)

    threads = [
        threading.Thread(target=post, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def browser_copy(app, client):
    """Another connection from the same browser: same cookie, own client."""
    copy = app.test_client()
    copy.set_cookie("screening_session", client.get_cookie("screening_session").value)
    return copy


def test_a_burst_of_identical_submits_stores_one_submission(app, client):
    app.config["SUBMIT_RATE_LIMIT"] = "1000 per minute"
    complete_questionnaire(client, worked_example())
    token = csrf_token(client.get("/questionnaire/review").get_data(as_text=True))
    clients = [browser_copy(app, client) for _ in range(8)]
    responses = post_all_at_once(
        [(c, "/questionnaire/submit", {"csrf_token": token}) for c in clients]
    )
    assert [r.status_code for r in responses] == [302] * 8
    assert {r.headers["Location"] for r in responses} == {"/questionnaire/summary"}
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 1


def test_concurrent_patients_get_unique_reference_codes(app, monkeypatch):
    app.config["SUBMIT_RATE_LIMIT"] = "1000 per minute"
    # A tiny code space makes two patients draw the same code; both must still be stored.
    monkeypatch.setattr(services, "REFERENCE_ALPHABET", "ACDE")
    monkeypatch.setattr(services, "REFERENCE_LENGTH", 2)
    patients = []
    for _ in range(10):
        client = app.test_client()
        complete_questionnaire(client, worked_example())
        token = csrf_token(client.get("/questionnaire/review").get_data(as_text=True))
        patients.append((client, "/questionnaire/submit", {"csrf_token": token}))
    responses = post_all_at_once(patients)
    assert [r.status_code for r in responses] == [302] * 10
    with app.app_context():
        references = db.session.scalars(select(Submission.reference)).all()
    assert len(references) == 10
    assert len(set(references)) == 10
