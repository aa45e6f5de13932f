"""While the database is unreachable every page, patient or staff, answers with the designed
503 page (issue 9, finding 6), including when the rollback at the end of a request fails."""

from __future__ import annotations

import contextlib

import pytest

from screening.extensions import db
from tests.helpers import page_data, post_form, worked_example
from tests.test_faults import database_fails


@contextlib.contextmanager
def rollback_fails(app):
    """Every rollback fails as if the server had gone away between two statements."""
    with app.app_context():
        dialect = db.engine.dialect
    original = dialect.do_rollback

    def refuse(dbapi_connection):
        raise dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    dialect.do_rollback = refuse
    try:
        yield
    finally:
        dialect.do_rollback = original


def assert_designed_503(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert "<!doctype html>" in html.lower()
    assert "Internal Server Error" not in html


STAFF_PAGES = [
    "/clinician/",
    "/clinician/audit",
    "/clinician/submissions/{id}",
    "/clinician/password",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_say_unavailable_while_the_database_is_down(
    app, client, sign_in_as, make_submission, url
):
    submission_id = make_submission()
    sign_in_as("admin")
    with database_fails(app):
        response = client.get(url.format(id=submission_id))
    assert_designed_503(response)
    assert "This service is unavailable for a moment" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "30"
    # Back again, the same session goes on.
    assert client.get(url.format(id=submission_id)).status_code == 200


def test_signing_in_while_the_database_is_down(app, client, make_user):
    make_user()
    page = client.get("/clinician/sign-in")
    assert page.status_code == 200
    with database_fails(app):
        response = post_form(
            client,
            "/clinician/sign-in",
            {"email": "clin@example.org", "password": "correct horse battery"},
        )
    assert_designed_503(response)


@pytest.mark.parametrize(
    "url", ["/questionnaire/about", "/questionnaire/review", "/questionnaire/crisis"]
)
def test_patient_pages_say_try_again_while_the_database_is_down(app, client, url):
    post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    with database_fails(app):
        response = client.get(url)
    assert_designed_503(response)


# The failing rollback is simulated by patching the dialect, which on PostgreSQL leaves the
# real server connection in its transaction and the test schema locked; SQLite shows the
# same code path without that artefact of the simulation.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@sqlite_only
def test_a_failing_rollback_at_the_end_of_a_request_is_not_an_error(
    app, client, sign_in_as, make_submission
):
    make_submission()
    sign_in_as("clinician")
    with rollback_fails(app):
        response = client.get("/clinician/")
    assert response.status_code == 200
    assert "Review queue" in response.get_data(as_text=True)
    assert client.get("/clinician/").status_code == 200


@sqlite_only
def test_a_failing_rollback_after_a_failed_page_still_gives_the_503_page(app, client, sign_in_as):
    sign_in_as("clinician")
    with database_fails(app), rollback_fails(app):
        response = client.get("/clinician/")
    assert_designed_503(response)
    with rollback_fails(app):
        response = client.get("/questionnaire/about")
    assert response.status_code in {200, 302}
