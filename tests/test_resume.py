"""Continue anywhere (issue 11): save for later with an emailed link, open it in another
browser, the summary link of the confirmation email, and no dead ends after submitting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from screening import resume, services
from screening.extensions import db
from screening.models import AuditEvent, Draft, OutboxEmail, ResumeLink, Submission
from tests.helpers import (
    complete_questionnaire,
    csrf_token,
    page_data,
    post_form,
    submit,
    worked_example,
)

LINK = re.compile(r"http://127\.0\.0\.1:5000(/questionnaire/[^\s]+)")
DOB = "1988-03-14"


def answer(client: FlaskClient, *slugs: str, doc: dict | None = None) -> None:
    """Answer these pages of the worked example, in order, with Continue."""
    doc = doc or worked_example()
    for slug in slugs:
        response = post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def save_for_later(
    client: FlaskClient, slug: str, data: dict, email: str = "alex@example.org", remind=False
):
    """Press "Save and continue later" on a page, then ask for the link."""
    response = post_form(client, f"/questionnaire/{slug}", {**data, "action": "save-later"})
    assert response.headers["Location"].endswith("/questionnaire/save")
    form = {"email": email, **({"remind": "y"} if remind else {})}
    response = post_form(client, "/questionnaire/save", form)
    assert response.headers["Location"].endswith("/questionnaire/save/sent")
    return response


def emails(app: Flask, kind: str) -> list[OutboxEmail]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(OutboxEmail).where(OutboxEmail.kind == kind).order_by(OutboxEmail.id)
            )
        )


def links_in(body: str) -> list[str]:
    return LINK.findall(body)


def open_link(app: Flask, path: str, answer_field: str, value: str, client=None):
    """A browser opening an emailed link and answering its question."""
    browser = client or app.test_client()
    page = browser.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    response = browser.post(
        path, data={"csrf_token": csrf_token(page.get_data(as_text=True)), answer_field: value}
    )
    return browser, response


def saved_on_mood_page(app: Flask, client: FlaskClient, **kwargs) -> str:
    """A person answers up to the mood page, saves there, and gets a link; returns its path."""
    answer(client, "start", "about", "conditions")
    save_for_later(client, "mood", page_data("mood", worked_example()), **kwargs)
    [email] = emails(app, "resume_link")
    [path] = [p for p in links_in(email.body) if "/continue/" in p]
    return path


def test_save_on_one_browser_and_continue_on_another(app, client):
    path = saved_on_mood_page(app, client)
    assert "Check your email" in client.get("/questionnaire/save/sent").get_data(as_text=True)
    [email] = emails(app, "resume_link")
    # The email holds the link and nothing of the answers; the address holds only a token.
    assert email.recipient == "alex@example.org"
    assert DOB not in email.body and "ocd" not in email.body.lower()
    assert "alex" not in path and "@" not in path and DOB not in path

    laptop, response = open_link(app, path, "date_of_birth", DOB)
    # The mood page was saved with the link: the next page still to answer comes first.
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questionnaire/symptoms")
    about = laptop.get("/questionnaire/about").get_data(as_text=True)
    assert f'value="{DOB}"' in about
    # The draft moved: the phone no longer shows it, and says why instead of starting over.
    phone = client.get("/questionnaire/about").get_data(as_text=True)
    assert DOB not in phone and "Your saved answers are no longer here" in phone
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        details = " ".join(e.detail or "" for e in db.session.scalars(select(AuditEvent)))
    assert {"resume_link_sent", "resume_link_used"} <= set(actions)
    assert DOB not in details and "alex" not in details


def test_a_draft_continued_in_another_browser_keeps_its_language_without_reading_it_again(
    app, client, monkeypatch
):
    client.get("/language/es?next=/")
    path = saved_on_mood_page(app, client)
    laptop, response = open_link(app, path, "date_of_birth", DOB)  # asks for no language
    assert response.status_code == 302
    looked_up = []
    draft_for = services.draft_for
    monkeypatch.setattr(
        services, "draft_for", lambda token: looked_up.append(token) or draft_for(token)
    )
    page = laptop.get("/questionnaire/about").get_data(as_text=True)
    assert '<html lang="es">' in page and f'value="{DOB}"' in page
    # The page reads the draft once, to show it; the locale selector needs no read of its own.
    assert looked_up == []
    # A browser that chose its language keeps it.
    chosen = app.test_client()
    chosen.get("/language/en?next=/")
    save_for_later(laptop, "mood", page_data("mood", worked_example()))
    [path] = [p for p in links_in(emails(app, "resume_link")[-1].body) if "/continue/" in p]
    open_link(app, path, "date_of_birth", DOB, client=chosen)
    assert '<html lang="en">' in chosen.get("/questionnaire/about").get_data(as_text=True)


def test_the_link_asks_before_showing_anything(app, client):
    path = saved_on_mood_page(app, client)
    html = app.test_client().get(path).get_data(as_text=True)
    assert "Date of birth" in html
    assert "Alex" not in html and DOB not in html and "alex@example.org" not in html


def test_five_wrong_dates_of_birth_lock_the_link(app, client):
    path = saved_on_mood_page(app, client)
    stranger = app.test_client()
    codes = []
    for _ in range(5):
        _, response = open_link(app, path, "date_of_birth", "1990-01-01", client=stranger)
        codes.append(response.status_code)
    assert codes == [422, 422, 422, 422, 404]
    assert "This link cannot be used" in response.get_data(as_text=True)
    response = stranger.get(path)
    assert response.status_code == 404
    # Even the right date of birth no longer opens it.
    assert app.test_client().get(path).status_code == 404
    with app.app_context():
        assert "resume_link_locked" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_wrong_answer_says_how_many_tries_are_left(app, client):
    path = saved_on_mood_page(app, client)
    _, response = open_link(app, path, "date_of_birth", "1990-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "does not match" in html and "4 more times" in html


def test_a_used_link_is_refused(app, client):
    path = saved_on_mood_page(app, client)
    open_link(app, path, "date_of_birth", DOB)
    response = app.test_client().get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "This link cannot be used" in html and "Save and continue later" in html


def test_an_expired_link_is_refused(app, client):
    path = saved_on_mood_page(app, client)
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        draft.updated_at = datetime.now(UTC) - timedelta(days=15)
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/questionnaire/continue/not-a-real-token",
        "/questionnaire/continue/" + "A" * 43,
        "/questionnaire/continue/%00%ff",
        "/questionnaire/summary/" + "x" * 500,
        "/questionnaire/reminder/nothing",
    ],
)
def test_a_forged_link_gets_a_plain_page(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    posted = client.post(path, data={"date_of_birth": DOB})
    assert posted.status_code in (200, 404)


def test_before_a_date_of_birth_the_link_asks_for_the_email_address(app, client):
    save_for_later(client, "start", page_data("start", worked_example()), email="Me@Example.org")
    [email] = emails(app, "resume_link")
    [path] = links_in(email.body)
    page = app.test_client().get(path).get_data(as_text=True)
    assert "Email address" in page and "Date of birth" not in page
    _, wrong = open_link(app, path, "email", "someone@example.org")
    assert wrong.status_code == 422
    browser, right = open_link(app, path, "email", " me@example.org ")
    assert right.headers["Location"].endswith("/questionnaire/about")
    assert "About you" in browser.get("/questionnaire/about").get_data(as_text=True)


def test_a_page_with_errors_keeps_them_and_offers_the_last_saved_state(app, client):
    answer(client, "start")
    typed = {"about-date_of_birth": "not a date", "action": "save-later"}
    response = post_form(client, "/questionnaire/about", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="not a date"' in html
    assert 'href="/questionnaire/save"' in html
    form = client.get("/questionnaire/save").get_data(as_text=True)
    assert "Send me a link" in form


def test_the_email_field_is_prefilled_and_checked(app, client):
    doc = worked_example()
    complete_questionnaire(client, doc)
    form = client.get("/questionnaire/save").get_data(as_text=True)
    assert 'value="alex@example.org"' in form
    response = post_form(client, "/questionnaire/save", {"email": "not an address"})
    assert response.status_code == 422
    assert "Enter an email address like name@example.com" in response.get_data(as_text=True)
    assert emails(app, "resume_link") == []


def test_a_reminder_is_scheduled_only_when_asked_and_finishing_cancels_it(app, client):
    before = datetime.now(UTC)
    saved_on_mood_page(app, client, remind=True)
    [reminder] = emails(app, "resume_reminder")
    assert before + timedelta(days=3) <= reminder.next_attempt_at
    assert reminder.next_attempt_at <= datetime.now(UTC) + timedelta(days=3)
    assert reminder.sent_at is None and DOB not in reminder.body
    assert len(links_in(reminder.body)) == 1  # its own link to continue
    # The link email says when the reminder comes and how to cancel it.
    [link_email] = emails(app, "resume_link")
    assert "reminder" in link_email.body and "/questionnaire/reminder/" in link_email.body
    # Finishing cancels it.
    complete_questionnaire(client, worked_example())
    submit(client)
    assert emails(app, "resume_reminder") == []


def test_no_reminder_without_the_tick(app, client):
    saved_on_mood_page(app, client)
    assert emails(app, "resume_reminder") == []
    [link_email] = emails(app, "resume_link")
    assert "/questionnaire/reminder/" not in link_email.body


def test_the_link_in_the_email_cancels_the_reminder(app, client):
    saved_on_mood_page(app, client, remind=True)
    [link_email] = emails(app, "resume_link")
    cancel = next(p for p in links_in(link_email.body) if "/reminder/" in p)
    inbox = app.test_client()
    page = inbox.get(cancel)
    assert "Cancel the reminder" in page.get_data(as_text=True)
    assert len(emails(app, "resume_reminder")) == 1  # a GET changes nothing
    response = inbox.post(cancel, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert "No reminder will be sent" in response.get_data(as_text=True)
    assert emails(app, "resume_reminder") == []


def test_links_are_stored_only_as_hashes(app, client):
    path = saved_on_mood_page(app, client)
    token = path.rsplit("/", 1)[-1]
    with app.app_context():
        stored = db.session.scalars(select(ResumeLink.token_hash)).all()
    assert token not in stored
    assert resume.token_hash(token) in stored


def test_guessing_is_rate_limited_per_address(app, client):
    app.config["LINK_RATE_LIMIT"] = "3 per minute"
    path = saved_on_mood_page(app, client)
    guesser = app.test_client()
    html = guesser.get(path).get_data(as_text=True)
    codes = [
        guesser.post(
            path, data={"csrf_token": csrf_token(html), "date_of_birth": "1990-01-01"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [422, 422, 422, 429]


def test_links_sent_per_draft_are_rate_limited(app, client):
    saved_on_mood_page(app, client)
    codes = [
        post_form(client, "/questionnaire/save", {"email": "alex@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]  # three in ten minutes, the first one included
    assert len(emails(app, "resume_link")) == 3


# --- The summary link of the confirmation email ------------------------------------------------


def submitted(app: Flask, client: FlaskClient) -> Submission:
    complete_questionnaire(client, worked_example())
    submit(client)
    with app.app_context():
        return db.session.scalar(select(Submission))


def summary_link(app: Flask, submission: Submission) -> str:
    with app.app_context():
        url = resume.summary_link_url(db.session.get(Submission, submission.id))
        db.session.commit()
    return urlsplit(url).path


def test_the_confirmation_email_carries_a_summary_link_that_opens_after_the_date_of_birth(
    app, client
):
    submission = submitted(app, client)
    [email] = emails(app, "confirmation")
    [link] = [url for url in links_in(email.body) if "/questionnaire/summary/" in url]
    assert submission.reference in email.body and "Alex" not in email.body
    evening, response = open_link(app, urlsplit(link).path, "date_of_birth", DOB)
    assert response.headers["Location"].endswith("/questionnaire/summary")
    assert submission.reference in evening.get("/questionnaire/summary").get_data(as_text=True)


def test_the_summary_link_opens_the_summary_after_the_date_of_birth(app, client, make_user):
    submission = submitted(app, client)
    path = summary_link(app, submission)
    evening = app.test_client()
    first = evening.get(path).get_data(as_text=True)
    assert submission.reference not in first and "Alex" not in first
    evening, response = open_link(app, path, "date_of_birth", DOB, client=evening)
    assert response.headers["Location"].endswith("/questionnaire/summary")
    html = evening.get("/questionnaire/summary").get_data(as_text=True)
    assert submission.reference in html and "Print this summary" in html
    # Someone else without the date of birth gets nothing.
    other = app.test_client()
    assert other.get("/questionnaire/summary").status_code == 404
    _, wrong = open_link(app, path, "date_of_birth", "1990-01-01", client=other)
    assert wrong.status_code == 422 and submission.reference not in wrong.get_data(as_text=True)
    assert other.get("/questionnaire/summary").status_code == 404
    # The clinician's audit of this submission shows that the patient opened it.
    with app.app_context():
        opened = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "patient_opened_summary")
        ).all()
    assert [event.submission_id for event in opened] == [submission.id]
    # ...and so does the clinician's page of it.
    staff = app.test_client()
    make_user(email="clin@example.org")
    signed_in = post_form(
        staff,
        "/clinician/sign-in",
        {"email": "clin@example.org", "password": "correct horse battery"},
    )
    assert signed_in.status_code == 302
    page = staff.get(f"/clinician/submissions/{submission.id}").get_data(as_text=True)
    assert "Summary opened by the patient" in page and "1 time by the emailed link" in page


def test_the_summary_link_expires(app, client):
    submission = submitted(app, client)
    app.config["SUMMARY_LINK_DAYS"] = 0
    path = summary_link(app, submission)
    assert app.test_client().get(path).status_code == 404


# --- No dead ends -------------------------------------------------------------------------------


def test_back_after_submit_shows_that_the_answers_were_sent(app, client):
    submission = submitted(app, client)
    for path in ("/questionnaire/start", "/questionnaire/contact", "/questionnaire/review"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Your answers were sent on" in html
        assert submission.reference in html
        assert 'href="/questionnaire/summary"' in html
        assert "Start a new questionnaire" in html


def test_an_expired_draft_says_so_instead_of_starting_over(app, client):
    answer(client, "start", "about")
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        draft.updated_at = datetime.now(UTC) - timedelta(days=15)
        db.session.commit()
    response = client.get("/questionnaire/conditions")
    html = response.get_data(as_text=True)
    assert "Your saved answers are no longer here" in html
    assert "You last saved answers on" in html and DOB not in html
    client.post("/questionnaire/new", data={"csrf_token": csrf_token(html)})
    assert "Before you start" in client.get("/questionnaire/start").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Draft)) is None


# --- Draft creation is rate limited per address (issue 9, hardening) ---------------------------


def test_a_waiting_room_of_20_starts_but_a_flood_of_drafts_is_refused(app):
    consent = page_data("start", worked_example())
    codes = []
    for _ in range(60):
        codes.append(post_form(app.test_client(), "/questionnaire/start", consent).status_code)
    assert codes[:20] == [302] * 20  # twenty people behind one address
    assert 429 in codes[20:]
    with app.app_context():
        assert len(db.session.scalars(select(Draft.id)).all()) <= 40


def test_an_expired_form_on_a_link_page_asks_again_without_counting(app, client):
    path = saved_on_mood_page(app, client)
    stranger = app.test_client()
    stranger.get(path)
    response = stranger.post(path, data={"csrf_token": "stale", "date_of_birth": "1990-01-01"})
    assert response.status_code == 422
    assert "This page had expired" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ResumeLink.failed_attempts)) == 0


def test_purging_an_old_draft_removes_its_links_and_reminder(app, client, runner):
    path = saved_on_mood_page(app, client, remind=True)
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        draft.updated_at = datetime.now(UTC) - timedelta(days=15)
        db.session.commit()
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(select(ResumeLink)).all() == []
    assert emails(app, "resume_reminder") == []
    assert len(emails(app, "resume_link")) == 1  # not withdrawn: its link is refused instead
    assert app.test_client().get(path).status_code == 404
