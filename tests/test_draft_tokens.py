"""The draft cookie is not a bearer token for life (issue 9, finding 2): the draft token
changes when contact details are first saved and at submit, and only the submitting request
(with a valid CSRF token) is granted the summary."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import complete_questionnaire, page_data, post_form, submit, worked_example

COOKIE = "screening_session"


def copy_of_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another client holding a copy of the browser's cookie as it is now."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


def test_an_old_copy_of_the_cookie_posting_submit_without_csrf_gets_no_summary(app, client):
    complete_questionnaire(client, worked_example())
    old_copy = copy_of_cookie(app, client)
    submit(client)
    assert client.get("/questionnaire/summary").status_code == 200

    response = old_copy.post("/questionnaire/submit")
    assert response.headers.get("Location") != "/questionnaire/summary"
    summary = old_copy.get("/questionnaire/summary")
    assert summary.status_code == 404
    assert "Alex Example" not in summary.get_data(as_text=True)


def test_a_resend_of_the_submit_form_long_after_gets_no_summary(app, client):
    complete_questionnaire(client, worked_example())
    old_copy = copy_of_cookie(app, client)
    submit(client)
    app.config["SUBMIT_RESEND_SECONDS"] = 0  # the double-click window has passed
    response = submit(old_copy)
    assert response.headers.get("Location") != "/questionnaire/summary"
    assert old_copy.get("/questionnaire/summary").status_code == 404


def test_a_cookie_planted_before_the_contact_page_cannot_read_it_afterwards(app, client):
    doc = worked_example()
    response = post_form(client, "/questionnaire/start", page_data("start", doc))
    assert response.status_code == 302
    planted = copy_of_cookie(app, client)
    complete_questionnaire(client, doc)  # saves the contact page among the others
    response = planted.get("/questionnaire/contact")
    assert response.status_code != 200 or "Alex Example" not in response.get_data(as_text=True)
    assert "alex@example.org" not in planted.get(
        "/questionnaire/contact", follow_redirects=True
    ).get_data(as_text=True)
    # The person's own browser still has its draft.
    assert "Alex Example" in client.get("/questionnaire/review").get_data(as_text=True)


def test_the_draft_token_changes_at_submit(app, client):
    complete_questionnaire(client, worked_example())
    with client.session_transaction() as session:
        before = session["draft"]
    submit(client)
    with client.session_transaction() as session:
        assert session.get("draft") in (None, "") or session["draft"] != before
