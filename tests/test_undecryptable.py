"""A row encrypted under a key no longer configured does not take the queue down (issue 9,
finding 5): that item says it cannot be decrypted, the log names its id only, and
rotate-keys reports the rows it could not read."""

from __future__ import annotations

import logging

from cryptography.fernet import Fernet
from sqlalchemy import text

from screening import create_app
from screening.extensions import db
from tests.helpers import page_data, post_form, worked_example

LOST_KEY = Fernet.generate_key()


def encrypt_under_a_lost_key(app, submission_id: int) -> None:
    """Rewrite one submission's answers and flags as if a dropped key had written them."""
    lost = Fernet(LOST_KEY)
    with app.app_context():
        db.session.execute(
            text("UPDATE submission SET answers = :a, flags = :f WHERE id = :id"),
            {
                "a": lost.encrypt(b'{"contact": {"full_name": "Lost Person"}}').decode(),
                "f": lost.encrypt(b"[]").decode(),
                "id": submission_id,
            },
        )
        db.session.commit()


def test_one_undecryptable_row_does_not_take_the_queue_down(
    app, client, sign_in_as, make_submission, caplog
):
    readable = make_submission()
    lost = make_submission(worked_example())
    encrypt_under_a_lost_key(app, lost)
    sign_in_as("clinician")
    with caplog.at_level(logging.ERROR, logger="screening.crypto"):
        response = client.get("/clinician/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This submission cannot be decrypted with the configured keys." in html
    assert html.count("reference-link") == 2  # both listed
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"submission.flags of row {lost} cannot be decrypted" in logged
    assert "Lost Person" not in logged and "gAAAA" not in logged
    # The readable one opens as before; the lost one says why it cannot.
    assert client.get(f"/clinician/submissions/{readable}").status_code == 200
    page = client.get(f"/clinician/submissions/{lost}")
    assert page.status_code == 500
    assert "cannot be decrypted with the configured keys" in page.get_data(as_text=True)


def test_rotate_keys_reports_the_rows_it_could_not_read(app, make_submission):
    readable = make_submission()
    lost = make_submission()
    encrypt_under_a_lost_key(app, lost)
    rotated = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{app.config['ENCRYPTION_KEYS']}",
        }
    )
    result = rotated.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 1
    assert "Re-encrypted 2 values" in result.output  # the readable submission's two values
    assert f"submission.answers of row {lost} cannot be decrypted" in result.output
    assert f"submission.flags of row {lost} cannot be decrypted" in result.output
    assert "2 values could not be read" in result.output
    assert f"row {readable} " not in result.output
    with rotated.app_context():
        db.engine.dispose()


def test_a_draft_under_a_lost_key_says_so_on_its_page(app, client, caplog):
    """The patient's page neither crashes nor shows anything: the "cannot be read" page,
    and the log names the row."""
    response = post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    assert response.status_code == 302
    with app.app_context():
        draft_id = db.session.execute(text("SELECT id FROM draft")).scalar_one()
        db.session.execute(
            text("UPDATE draft SET answers = :a"),
            {"a": Fernet(LOST_KEY).encrypt(b'{"contact": {"full_name": "Lost Person"}}').decode()},
        )
        db.session.commit()
    with caplog.at_level(logging.ERROR, logger="screening.crypto"):
        page = client.get("/questionnaire/about")
    assert page.status_code == 500
    html = page.get_data(as_text=True)
    assert "cannot be decrypted with the configured keys" in html
    assert "Lost Person" not in html
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"draft.answers of row {draft_id} cannot be decrypted" in logged
