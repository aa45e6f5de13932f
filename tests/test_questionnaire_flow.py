"""The questionnaire as a person goes through it, with the test client and CSRF switched on."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from screening import create_app
from screening.extensions import db
from screening.models import Draft, Submission, SubmissionFlag
from tests.helpers import (
    complete_questionnaire,
    csrf_token,
    page_data,
    post_form,
    submit,
    worked_example,
)


def stored_submissions(app: Flask) -> list[Submission]:
    with app.app_context():
        return list(db.session.scalars(select(Submission)))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_worked_example_through_the_pages_stores_one_submission(app, client):
    complete_questionnaire(client, worked_example())
    response = submit(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questionnaire/summary")

    [submission] = stored_submissions(app)
    assert [(f["id"], f["level"]) for f in submission.flags] == [
        ("off_label", "info"),
        ("cost_concern", "info"),
    ]
    assert submission.scores["phq9"] == {"total": 10, "band": "moderate"}
    assert submission.scores["gad7"] == {"total": 10, "band": "moderate"}
    assert submission.scores["pcl5"] is None
    assert submission.scores["ybocs_reported"] == {"score": 27, "band": "severe"}
    assert submission.status == "new"
    assert submission.questionnaire_version == 1
    assert submission.rules_version == "1"
    assert submission.highest_level == "info"
    assert submission.created_at.tzinfo is not None
    assert submission.answers == worked_example()
    assert re.fullmatch(r"[ACDEFGHJKMNPQRTWXY34679]{8}", submission.reference)


def test_flags_are_queryable_by_id_and_level(app, client):
    complete_questionnaire(client, worked_example())
    submit(client)
    with app.app_context():
        found = db.session.scalars(
            select(Submission.reference)
            .join(SubmissionFlag)
            .where(SubmissionFlag.flag_id == "cost_concern", SubmissionFlag.level == "info")
        ).all()
        assert len(found) == 1
        assert db.session.scalar(select(func.count(SubmissionFlag.id))) == 2


def test_confirmation_shows_reference_topics_scores_and_statement(app, client):
    complete_questionnaire(client, worked_example())
    submit(client)
    html = client.get("/questionnaire/summary").get_data(as_text=True)
    [submission] = stored_submissions(app)
    text = text_of(html)
    assert submission.reference in text
    assert "Topics your clinician will want to talk about" in text
    for flag in submission.flags:
        assert flag["patient_text"] in html
    assert "PHQ-9 10 of 27 (moderate)" in text
    assert "GAD-7 10 of 21 (moderate)" in text
    assert "Y-BOCS (reported by patient) 27 of 40 (severe)" in text
    assert "does not diagnose you" in text
    assert "Print this summary" in text
    assert "What happens next" in text
    # A summary for the patient never shows levels, titles or the word "flag".
    assert not re.search(r"\bflag|\beligib|\bcandidate\b|\bapproved\b", text, re.I)
    assert "crisis" not in text.split("Your summary")[1].lower().split("your answers")[0]


def test_double_submit_stores_one_submission(app, client):
    complete_questionnaire(client, worked_example())
    html = client.get("/questionnaire/review").get_data(as_text=True)
    token = csrf_token(html)
    first = client.post("/questionnaire/submit", data={"csrf_token": token})
    second = client.post("/questionnaire/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert len(stored_submissions(app)) == 1
    # A reload of the summary after the resend still shows the one submission.
    assert client.get("/questionnaire/summary").status_code == 200


def test_summary_is_visible_only_to_the_browser_that_submitted(app, client):
    complete_questionnaire(client, worked_example())
    submit(client)
    assert client.get("/questionnaire/summary").status_code == 200
    other = app.test_client()
    response = other.get("/questionnaire/summary")
    assert response.status_code == 404
    [submission] = stored_submissions(app)
    assert submission.reference not in response.get_data(as_text=True)


def test_summary_access_ends_after_the_configured_hours(app, client):
    complete_questionnaire(client, worked_example())
    submit(client)
    with client.session_transaction() as session:
        grant = session["summary"]
        grant["until"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        session["summary"] = grant
    assert client.get("/questionnaire/summary").status_code == 404


def test_answer_to_a_question_that_becomes_hidden_is_cleared(app, client):
    doc = worked_example()
    complete_questionnaire(client, doc)
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert draft.answers["symptoms"]["ocd_time_per_day"] == "over_3h"
    # OCD no longer mentioned: page 5's OCD answers must go.
    changed = worked_example()
    changed["conditions"].update(diagnosed=["depression"], primary_concern="depression")
    response = post_form(
        client,
        "/questionnaire/conditions?return_to=review",
        {**page_data("conditions", changed), "return_to": "review"},
    )
    assert response.headers["Location"].endswith("/questionnaire/review")
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert draft.answers["symptoms"]["ocd_time_per_day"] is None
        assert draft.answers["symptoms"]["ybocs_last_score"] is None
    review = client.get("/questionnaire/review").get_data(as_text=True)
    assert "More about your symptoms" not in review
    submit(client)
    [submission] = stored_submissions(app)
    assert submission.answers["symptoms"]["ybocs_last_score"] is None
    assert submission.scores["ybocs_reported"] is None


def test_same_page_branching_clears_pregnancy_for_male(app, client):
    complete_questionnaire(client, worked_example())
    data = page_data("about", worked_example())
    data["about-sex_at_birth"] = "male"  # pregnancy is still ticked, as without JavaScript
    post_form(client, "/questionnaire/about", data)
    with app.app_context():
        assert db.session.scalar(select(Draft)).answers["about"]["pregnancy"] is None


def test_new_page_shown_by_an_edit_is_asked_before_review(app, client):
    complete_questionnaire(client, worked_example())
    changed = worked_example()
    changed["conditions"]["suspected"] = ["ptsd"]
    response = post_form(
        client,
        "/questionnaire/conditions",
        {**page_data("conditions", changed), "return_to": "review"},
    )
    assert response.headers["Location"].endswith("/questionnaire/symptoms")
    html = client.get("/questionnaire/symptoms").get_data(as_text=True)
    assert "PCL-5" in html and "In the past month, how much were you bothered by:" in html
    assert (
        client.get("/questionnaire/review").headers["Location"].endswith("/questionnaire/symptoms")
    )


def test_safety_check_shows_crisis_resources_and_yes_leads_to_crisis_page(app, client):
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    for slug in ("start", "about", "conditions"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
    response = post_form(client, "/questionnaire/mood", page_data("mood", doc))
    assert response.headers["Location"].endswith("/questionnaire/safety-check")
    page = text_of(client.get("/questionnaire/safety-check").get_data(as_text=True))
    assert "988" in page and "741741" in page and "911" in page
    assert "Veterans Crisis Line" in page
    response = post_form(client, "/questionnaire/safety-check", page_data("safety-check", doc))
    assert response.headers["Location"].endswith("/questionnaire/crisis")
    crisis = client.get("/questionnaire/crisis").get_data(as_text=True)
    assert "Please get help now" in crisis and "tel:988" in crisis
    assert 'href="/questionnaire/symptoms">Continue with the questionnaire' in crisis


def test_answering_no_on_the_safety_check_continues(app, client):
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 1
    doc["safety"]["suicide_plan_or_intent"] = "no"
    complete_questionnaire(client, doc)
    submit(client)
    [submission] = stored_submissions(app)
    assert submission.flags[0]["id"] == "suicide_risk"
    assert submission.flags[0]["level"] == "high"
    summary = text_of(client.get("/questionnaire/summary").get_data(as_text=True))
    page = summary.split("Skip to main content")[1]
    # Crisis resources come first: before the reference code and the topics.
    assert page.index("Text HOME to 741741 (Crisis Text Line)") < page.index("Your reference code")
    assert page.index("Press 1 for the Veterans Crisis Line") < page.index("Topics your clinician")


def test_safety_check_is_skipped_and_cleared_when_item_9_is_zero(app, client):
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 1
    doc["safety"]["suicide_plan_or_intent"] = "no"
    complete_questionnaire(client, doc)
    response = post_form(client, "/questionnaire/mood", page_data("mood", worked_example()))
    assert response.headers["Location"].endswith("/questionnaire/symptoms")
    assert client.get("/questionnaire/safety-check").headers["Location"].endswith("/symptoms")
    with app.app_context():
        assert db.session.scalar(select(Draft)).answers["safety"]["suicide_plan_or_intent"] is None


def test_crisis_line_on_the_first_page_and_every_footer(client):
    first = text_of(client.get("/questionnaire/start").get_data(as_text=True))
    assert first.count("988") >= 2  # the page itself and the footer
    gone = text_of(client.get("/questionnaire/summary").get_data(as_text=True))
    assert "call or text 988" in gone


def test_progress_back_and_continue(client):
    page = text_of(client.get("/questionnaire/start").get_data(as_text=True))
    assert "Step 1 of 10" in page and "Back" not in page.split("Continue")[-1]
    doc = worked_example()
    for slug in ("start", "about", "conditions"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
    html = client.get("/questionnaire/mood").get_data(as_text=True)
    assert "Step 4 of 11" in text_of(html)  # OCD is mentioned: page 5 is now a step
    assert 'href="/questionnaire/conditions">Back</a>' in html


def test_pages_cannot_be_skipped(client):
    response = client.get("/questionnaire/health")
    assert response.headers["Location"].endswith("/questionnaire/start")
    post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    assert client.get("/questionnaire/health").headers["Location"].endswith("/questionnaire/about")


def test_add_and_remove_medicines_without_javascript_keeps_answers(client):
    complete_questionnaire(client, worked_example())
    html = client.get("/questionnaire/treatments").get_data(as_text=True)
    data = page_data("treatments", worked_example())
    data["medication_trials-1-duration_weeks"] = "twelve"  # typed, not yet checked
    response = client.post(
        "/questionnaire/treatments",
        data={**data, "csrf_token": csrf_token(html), "action": "add-trial"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="medication_trials-2-medication"' in html
    assert 'value="twelve"' in html
    assert "There is a problem" not in html
    response = client.post(
        "/questionnaire/treatments",
        data={**data, "csrf_token": csrf_token(html), "action": "remove-trial-0"},
    )
    html = response.get_data(as_text=True)
    assert 'name="medication_trials-1-medication"' not in html
    # The second medicine moved up, with what was typed for it.
    assert re.search(r'<option value="fluoxetine" selected>', html)
    assert 'value="twelve"' in html


def test_a_draft_survives_a_closed_tab_and_a_server_restart(app, client, tmp_path):
    doc = worked_example()
    for slug in ("start", "about"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
    cookie = client.get_cookie("screening_session")
    assert cookie is not None and cookie.expires is not None  # outlives the browser window
    restarted = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    browser = restarted.test_client()
    browser.set_cookie("screening_session", cookie.value)
    html = browser.get("/questionnaire/about").get_data(as_text=True)
    assert 'value="1988-03-14"' in html
    assert browser.get("/questionnaire/health").headers["Location"].endswith("/conditions")


def test_post_without_csrf_token_keeps_answers_and_saves_nothing(app, client):
    data = page_data("start", worked_example())
    response = client.post("/questionnaire/start", data=data)
    assert response.status_code == 400
    assert "checked" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Draft.id))) == 0


def test_submit_without_csrf_token_stores_nothing(app, client):
    complete_questionnaire(client, worked_example())
    response = client.post("/questionnaire/submit", data={})
    assert response.status_code == 302
    assert stored_submissions(app) == []


def test_review_lists_every_section_with_an_edit_link(client):
    complete_questionnaire(client, worked_example())
    html = client.get("/questionnaire/review").get_data(as_text=True)
    for slug in (
        "start",
        "about",
        "conditions",
        "mood",
        "symptoms",
        "treatments",
        "mood-history",
        "health",
        "practical",
        "contact",
    ):
        assert f'href="/questionnaire/{slug}?return_to=review"' in html
    text = text_of(html)
    assert "PHQ-9 9. Thoughts that you would be better off dead" in text
    assert "Sertraline (Zoloft), up to 200 mg a day, 14 weeks" in text
    assert "Alex Example" in text


def test_a_new_questionnaire_after_submitting_starts_empty(app, client):
    complete_questionnaire(client, worked_example())
    submit(client)
    # Back after submitting: the pages say the answers were sent, never an empty form.
    back = client.get("/questionnaire/about")
    html = back.get_data(as_text=True)
    [sent] = stored_submissions(app)
    assert back.status_code == 200
    assert "Your answers were sent on" in html and sent.reference in html
    assert "1988-03-14" not in html
    assert "Start a new questionnaire" in html
    # Pressing it is the deliberate way to start again, for the next person on this device.
    response = post_form(client, "/questionnaire/about", {}, follow_redirects=False)
    assert response.status_code == 409  # a stale form does not start anything
    new = client.post("/questionnaire/new", data={"csrf_token": csrf_token(html)})
    assert new.headers["Location"].endswith("/questionnaire/start")
    start = client.get("/questionnaire/start").get_data(as_text=True)
    assert "Before you start" in start and sent.reference not in start
    assert client.get("/questionnaire/summary").status_code == 404
    complete_questionnaire(client, worked_example())
    submit(client)
    assert len({s.reference for s in stored_submissions(app)}) == 2
