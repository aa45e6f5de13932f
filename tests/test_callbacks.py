"""The crisis page and its call-back request: emergency services first, a request stored (and
an urgent alert opened) without finishing the questionnaire, bad numbers explained, rate
limits, double clicks, odd forms; the clinic's contact details on every patient page."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from screening.extensions import db
from screening.models import Alert, CallbackRequest
from screening.models import utcnow as now
from tests.alerting import configure, outbox, the_alert, urgent_doc
from tests.helpers import csrf_token, post_form, worked_example


@pytest.fixture
def configured(app: Flask) -> Flask:
    return configure(app)


def reach_crisis_page(client: FlaskClient) -> str:
    doc = urgent_doc()
    from tests.helpers import page_data

    for slug in ("start", "about", "conditions", "mood", "safety-check"):
        response = post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
        assert response.status_code == 302, slug
    assert response.headers["Location"].endswith("/questionnaire/crisis")
    return client.get("/questionnaire/crisis").get_data(as_text=True)


def test_the_crisis_page_is_honest_and_keeps_emergency_services_first(
    configured: Flask, client: FlaskClient
):
    html = reach_crisis_page(client)
    assert "will see your answers" not in html
    assert "does not see your answers until you finish and send" in html
    assert html.index('href="tel:988"') < html.index("Ask the clinic to call you")
    assert html.index('href="tel:911"') < html.index("Ask the clinic to call you")
    assert "Monday to Friday, 8 am to 6 pm" in html


def test_a_callback_request_without_finishing_opens_an_alert_email_and_queue_item(
    configured: Flask, client: FlaskClient, sign_in_as
):
    html = reach_crisis_page(client)
    response = client.post(
        "/questionnaire/crisis/call-me",
        data={"csrf_token": csrf_token(html), "phone": "(555) 010-7788", "first_name": "Sam"},
    )
    assert response.status_code == 302
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The clinic has your number" in sent and "Monday to Friday, 8 am to 6 pm" in sent
    assert sent.index('href="tel:988"') < sent.index("aim to call you today")
    with configured.app_context():
        callback = db.session.scalars(select(CallbackRequest)).one()
        raw = db.session.execute(text("SELECT phone, first_name FROM callback_request")).one()
        assert "010-7788" not in raw.phone and "Sam" not in raw.first_name
    alert = the_alert(configured)
    assert (alert.level, alert.state, alert.callback_request_id) == ("urgent", "open", callback.id)
    emails = outbox(configured, "alert")
    assert [e.recipient for e in emails] == ["oncall@clinic.example"]
    assert "Sam" not in emails[0].body and "7788" not in emails[0].body
    sign_in_as()
    queue = client.get("/clinician/").get_data(as_text=True)
    assert "Call-back requests from the crisis page" in queue and callback.reference in queue
    page = client.get(f"/clinician/callbacks/{callback.id}").get_data(as_text=True)
    assert "(555) 010-7788" in page and "Sam" in page


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "Enter the phone number the clinic should call"),
        ("call me", "Enter a phone number of 7 to 20 digits"),
        ("12345", "Enter a phone number of 7 to 20 digits"),
    ],
)
def test_a_bad_callback_number_is_explained_beside_the_field_with_help_still_shown(
    configured: Flask, client: FlaskClient, phone: str, message: str
):
    html = reach_crisis_page(client)
    response = client.post(
        "/questionnaire/crisis/call-me",
        data={"csrf_token": csrf_token(html), "phone": phone, "first_name": "Sam"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="phone-error"[^>]*>.*' + re.escape(message), page)
    assert 'value="Sam"' in page and 'href="tel:988"' in page
    with configured.app_context():
        assert db.session.scalars(select(Alert)).all() == []


def test_callback_requests_are_rate_limited_with_help_still_shown(
    configured: Flask, client: FlaskClient
):
    configured.config["CALLBACK_RATE_LIMIT"] = "2 per hour"
    html = reach_crisis_page(client)
    statuses = [
        client.post(
            "/questionnaire/crisis/call-me",
            data={"csrf_token": csrf_token(html), "phone": "555 010 7788"},
        )
        for _ in range(3)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 429]
    page = statuses[-1].get_data(as_text=True)
    assert "Too many requests came from this connection" in page and 'href="tel:988"' in page


@pytest.mark.parametrize("phone", ["555-010-7788", "+1 (555) 010.7788", "12345", "555 0x0 7788"])
def test_the_callback_number_rule_is_the_questionnaire_phone_rule(phone: str):
    from screening.patient.callback import phone_is_valid
    from screening.questionnaire.validate import validate

    doc = worked_example()
    doc["contact"]["phone"] = phone
    problems = [p for p in validate(doc, now().date()) if str(p).startswith("contact.phone")]
    assert phone_is_valid(phone) is (not problems)


def test_every_patient_page_shows_the_clinic_contact_details(
    configured: Flask, client: FlaskClient
):
    html = client.get("/questionnaire/start").get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="tel:555-010-2000"' in footer and "hello@clinic.example" in footer
    assert "Monday to Friday, 8 am to 6 pm" in footer


def test_the_same_callback_form_sent_twice_stores_one_request(
    configured: Flask, client: FlaskClient
):
    html = reach_crisis_page(client)
    key = re.search(r'name="request_key"[^>]*value="([^"]+)"', html).group(1)
    data = {"csrf_token": csrf_token(html), "request_key": key, "phone": "555 010 7788"}
    first = client.post("/questionnaire/crisis/call-me", data=data)
    second = client.post("/questionnaire/crisis/call-me", data=data)  # a double click
    assert first.status_code == second.status_code == 302
    with configured.app_context():
        assert len(db.session.scalars(select(CallbackRequest)).all()) == 1
        assert len(db.session.scalars(select(Alert)).all()) == 1
    corrected = client.post(
        "/questionnaire/crisis/call-me", data={**data, "phone": "555 010 9999"}
    )  # back, a corrected number, the same form
    assert corrected.status_code == 302
    with configured.app_context():
        phones = sorted(c.phone for c in db.session.scalars(select(CallbackRequest)))
    assert phones == ["555 010 7788", "555 010 9999"]


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": "\x00" * 8},
        {"phone": "555 010 7788", "first_name": "\x00Sam"},
        {"phone": "5" * 5000},
        {"phone": "555 010 7788", "first_name": "x" * 500},
        {"phone": ["555 010 7788", "555 010 9999"], "request_key": "k" * 500},
    ],
)
def test_odd_callback_forms_get_an_answer_never_a_server_error(
    configured: Flask, client: FlaskClient, fields: dict
):
    html = reach_crisis_page(client)
    response = client.post(
        "/questionnaire/crisis/call-me", data={"csrf_token": csrf_token(html), **fields}
    )
    assert response.status_code in {302, 422}
    assert 'href="tel:988"' in client.get("/questionnaire/crisis").get_data(as_text=True)
