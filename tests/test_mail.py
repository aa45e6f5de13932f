"""The outbox: an email is a row written in the caller's transaction, encrypted at rest."""

from __future__ import annotations

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select, text

from screening import mail
from screening.extensions import db
from screening.models import OutboxEmail

TEMPLATES = {
    "emails/_outbox_test.txt": '{% set subject = "Reference " ~ reference %}\n'
    "Hello.\n\nYour reference is {{ reference }}.\nSee {{ link }}\n",
    "emails/_no_subject.txt": "Body only\n",
}


@pytest.fixture
def email_template(app):
    """Test templates in front of the app's own."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    return "_outbox_test"


def test_queue_email_writes_one_row_per_recipient_with_rendered_text(app, email_template):
    with app.app_context():
        rows = mail.queue_email(
            ["a@example.org", "b@example.org", "a@example.org"],
            email_template,
            reference="ACDE3467",
            link=mail.public_url("patient.index"),
        )
        db.session.commit()
        stored = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [row.id for row in rows] == [row.id for row in stored]
    assert [row.recipient for row in stored] == ["a@example.org", "b@example.org"]
    assert stored[0].subject == "Reference ACDE3467"
    assert stored[0].body == ("Hello.\n\nYour reference is ACDE3467.\nSee http://127.0.0.1:5000/\n")
    assert stored[0].sent_at is None and stored[0].attempts == 0
    assert stored[0].kind == "_outbox_test"


def test_queued_email_rolls_back_with_its_cause(app, email_template):
    with app.app_context():
        mail.queue_email("a@example.org", email_template, reference="X", link="")
        db.session.rollback()
        assert db.session.scalars(select(OutboxEmail)).all() == []


def test_address_and_body_are_encrypted_at_rest(app, email_template):
    with app.app_context():
        mail.queue_email("person@example.org", email_template, reference="ACDE3467", link="")
        db.session.commit()
        raw = db.session.execute(text("SELECT recipient, body FROM outbox_email")).one()
    assert "person@example.org" not in raw.recipient
    assert "ACDE3467" not in raw.body


def test_links_use_the_configured_public_address_not_the_request_host(app):
    app.config["PUBLIC_BASE_URL"] = "https://screening.clinic.example/intake"
    with app.test_request_context("/", base_url="http://evil.example"):
        assert mail.public_url("patient.index") == "https://screening.clinic.example/intake/"
    with app.app_context():  # the worker has no request
        assert mail.public_url("patient.page", slug="consent") == (
            "https://screening.clinic.example/intake/questionnaire/consent"
        )


def test_a_template_without_a_subject_is_refused(app, email_template):
    with app.app_context(), pytest.raises(ValueError, match="no subject"):
        mail.queue_email("a@example.org", "_no_subject")
