"""Health information is encrypted at rest; keys rotate; production needs its keys."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from screening import create_app
from screening.extensions import db
from tests.helpers import complete_questionnaire, page_data, post_form, submit, worked_example

SECRETS = ("Alex Example", "alex@example.org", "415 555 0100", "sertraline", "1988-03-14",
           "Free text in the patient", "over_3h", "Call back Monday")  # fmt: skip


def raw_dump(app) -> str:
    """Every stored value of every table, as the database holds it."""
    with app.app_context():
        tables = ("draft", "submission", "submission_flag", "note", "audit_event")
        rows = [
            repr(tuple(row))
            for name in tables
            for row in db.session.execute(text(f"SELECT * FROM {name}"))
        ]
    return "\n".join(rows)


def test_raw_rows_hold_no_name_contact_or_answer(app, client, sign_in_as):
    doc = worked_example()
    complete_questionnaire(client, doc)
    draft_dump = raw_dump(app)
    submit(client)
    sign_in_as("clinician")
    with app.app_context():
        submission_id = db.session.execute(text("SELECT id FROM submission")).scalar_one()
    page = f"/clinician/submissions/{submission_id}"
    html = client.get(page).get_data(as_text=True)
    from tests.helpers import csrf_token

    client.post(f"{page}/notes", data={"csrf_token": csrf_token(html), "body": "Call back Monday"})
    dump = raw_dump(app) + draft_dump
    assert "gAAAAA" in dump  # Fernet tokens are there
    for secret in SECRETS:
        assert secret not in dump, secret
    # ...and the app still reads them.
    assert "Alex Example" in client.get(page).get_data(as_text=True)
    assert "Call back Monday" in client.get(page).get_data(as_text=True)


def test_levels_flag_ids_scores_and_status_stay_queryable(app, client):
    complete_questionnaire(client, worked_example())
    submit(client)
    with app.app_context():
        row = db.session.execute(text("SELECT highest_level, status, scores FROM submission")).one()
        assert row.highest_level == "info" and row.status == "new"
        scores = row.scores if isinstance(row.scores, dict) else json.loads(row.scores)
        assert scores["phq9"] == {"total": 10, "band": "moderate"}
        flags = db.session.execute(text("SELECT flag_id FROM submission_flag")).scalars().all()
        assert sorted(flags) == ["cost_concern", "off_label"]


def test_rotate_keys_reencrypts_with_the_new_key(app, client, runner, tmp_path):
    post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    complete_questionnaire(client, worked_example())
    submit(client)
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    rotated = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "ENCRYPTION_KEYS": f"{new_key},{old_key}",
        }
    )
    result = rotated.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0, result.output
    # The submission's answers and flags, and the confirmation email's address and body.
    assert "Re-encrypted 4 values" in result.output
    # Only the new key is needed now.
    only_new = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "ENCRYPTION_KEYS": new_key,
        }
    )
    with only_new.app_context():
        from screening.models import Submission

        assert db.session.scalars(db.select(Submission)).one().answers == worked_example()
        db.engine.dispose()
    with rotated.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_its_keys(monkeypatch, missing):
    monkeypatch.setenv("SCREENING_ENV", "production")
    settings = {"SECRET_KEY": "x" * 40, "ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    settings[missing] = None
    with pytest.raises(RuntimeError, match=missing):
        create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
