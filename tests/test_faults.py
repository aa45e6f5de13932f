"""When the database fails, patients keep their answers, nothing is half-written, and a
retry succeeds once."""

from __future__ import annotations

import contextlib
import re

from sqlalchemy import func, select

from screening.extensions import db
from screening.models import Draft, Submission, SubmissionFlag
from tests.helpers import (
    complete_questionnaire,
    csrf_token,
    page_data,
    post_form,
    worked_example,
)


@contextlib.contextmanager
def database_fails(app, when=lambda statement: True):
    """Every statement `when` picks fails as if the database server had gone away: the driver
    raises as it would, where every statement reaches it (the dialect's do_execute and its
    kin: SQLAlchemy's own statements and database.LeanSelect's alike)."""
    with app.app_context():
        dialect = db.engine.dialect
    originals = {name: getattr(dialect, name) for name in DRIVER_CALLS}

    def failing(name):
        def call(cursor, statement, *args, **kwargs):
            if when(statement):
                raise dialect.loaded_dbapi.OperationalError("server closed the connection")
            return originals[name](cursor, statement, *args, **kwargs)

        return call

    for name in DRIVER_CALLS:
        setattr(dialect, name, failing(name))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(dialect, name, original)


DRIVER_CALLS = ("do_execute", "do_executemany", "do_execute_no_params")


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_continue_while_the_database_is_down_keeps_every_answer(app, client):
    doc = worked_example()
    for slug in ("start", "about", "conditions"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
    html = client.get("/questionnaire/mood").get_data(as_text=True)
    data = {**page_data("mood", doc), "csrf_token": csrf_token(html)}
    with database_fails(app):
        response = client.post("/questionnaire/mood", data=data)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "We could not save your answers" in page
    assert "Your answers are still here" in page
    # Every radio the person chose is still chosen.
    for name, values in page_data("mood", doc).items():
        for value in values:
            assert re.search(rf'name="{name}" value="{value}"\s*checked', page), name
    with app.app_context():
        assert db.session.scalars(select(Draft)).one().answers["symptoms"]["phq9"] is None
    # Trying again once the database is back saves the page once.
    retry = client.post("/questionnaire/mood", data={**data, "csrf_token": csrf_token(page)})
    assert retry.status_code == 302
    with app.app_context():
        assert (
            db.session.scalars(select(Draft)).one().answers["symptoms"]["phq9"]
            == doc["symptoms"]["phq9"]
        )


def test_a_failed_save_writes_nothing(app, client):
    doc = worked_example()
    post_form(client, "/questionnaire/start", page_data("start", doc))
    html = client.get("/questionnaire/about").get_data(as_text=True)
    with database_fails(app, when=lambda statement: statement.startswith("UPDATE")):
        response = client.post(
            "/questionnaire/about", data={**page_data("about", doc), "csrf_token": csrf_token(html)}
        )
    assert response.status_code == 503
    assert 'value="1988-03-14"' in response.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        assert draft.answers["about"]["date_of_birth"] is None
        assert draft.completed_pages == ["start"]


def test_submit_fails_whole_and_the_retry_stores_one_submission(app, client):
    complete_questionnaire(client, worked_example())
    html = client.get("/questionnaire/review").get_data(as_text=True)
    token = csrf_token(html)
    # The submission row goes in, then its flags fail: all of it must be rolled back.
    with database_fails(app, when=lambda statement: "INSERT INTO submission_flag" in statement):
        response = client.post("/questionnaire/submit", data={"csrf_token": token})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Your answers have not been sent yet" in page
    assert count(app, Submission) == 0
    assert count(app, SubmissionFlag) == 0
    assert count(app, Draft) == 1
    retry = client.post("/questionnaire/submit", data={"csrf_token": csrf_token(page)})
    assert retry.headers["Location"].endswith("/questionnaire/summary")
    again = client.post("/questionnaire/submit", data={"csrf_token": csrf_token(page)})
    assert again.headers["Location"].endswith("/questionnaire/summary")
    assert count(app, Submission) == 1
    assert count(app, SubmissionFlag) == 2
    assert count(app, Draft) == 0


def test_a_page_view_while_the_database_is_down_says_try_again(app, client):
    post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    with database_fails(app):
        response = client.get("/questionnaire/about")
    assert response.status_code == 503
    assert "Try again" in response.get_data(as_text=True)
