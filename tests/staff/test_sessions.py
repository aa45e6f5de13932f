"""Staff sessions: idle and maximum lifetimes, signing out everywhere, separate cookies."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.helpers import csrf_token

from .helpers import (
    PASSWORD,
    PASSWORD_PAGE,
    SIGN_IN,
    STAFF_COOKIE,
    MakeUser,
    audit_rows,
    copy_of_session,
    is_signed_in,
    sign_in,
    sign_in_next,
    sign_out,
)

# Idle sessions and signing out


def set_last_seen(client: FlaskClient, minutes_ago: float) -> None:
    with client.session_transaction("/clinician/") as sess:
        sess["last_seen"] = int(time.time() - minutes_ago * 60)


def test_thirty_minutes_without_activity_ends_the_session(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    set_last_seen(client, 31)
    response = client.get(f"{PASSWORD_PAGE}?from=queue")
    assert response.status_code == 302
    assert sign_in_next(response) == f"{PASSWORD_PAGE}?from=queue"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity" in page
    assert not is_signed_in(client)
    assert [(r.action, r.detail) for r in audit_rows(app, "sign_out")] == [
        ("sign_out", "inactivity")
    ]


def test_activity_within_thirty_minutes_keeps_the_session(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    set_last_seen(client, 29)
    assert client.get(PASSWORD_PAGE).status_code == 200
    with client.session_transaction("/clinician/") as sess:
        assert time.time() - sess["last_seen"] < 60  # the clock starts again
    set_last_seen(client, 29)
    assert is_signed_in(client)


def test_an_idle_post_goes_to_sign_in_without_next(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    token = csrf_token(client.get(PASSWORD_PAGE).get_data(as_text=True))
    set_last_seen(client, 31)
    response = client.post(PASSWORD_PAGE, data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN


def test_sign_out_ends_the_session(app: Flask, client: FlaskClient, make_user: MakeUser) -> None:
    user_id = make_user()
    sign_in(client)
    token = csrf_token(client.get(PASSWORD_PAGE).get_data(as_text=True))
    response = client.post("/clinician/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN
    assert "You have signed out" in client.get(SIGN_IN).get_data(as_text=True)
    assert not is_signed_in(client)
    assert [(r.action, r.user_id) for r in audit_rows(app, "sign_out")] == [("sign_out", user_id)]


def test_sign_out_without_a_csrf_token_is_refused(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    sign_in(client)
    assert client.post("/clinician/sign-out").status_code == 400
    assert is_signed_in(client)


def test_sign_in_without_a_csrf_token_is_refused(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    response = client.post(SIGN_IN, data={"email": "nurse@example.org", "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction("/clinician/") as sess:
        assert "_user_id" not in sess
    assert not is_signed_in(client)
    assert audit_rows(app) == []


# Every copy of a session ends with it (issue 9, finding 1)


def test_a_copied_cookie_is_refused_after_sign_out(
    app: Flask, client: FlaskClient, make_user: MakeUser, make_submission
) -> None:
    make_user()
    submission_id = make_submission()
    sign_in(client)
    copy = copy_of_session(app, client)
    assert copy.get(f"/clinician/submissions/{submission_id}").status_code == 200
    sign_out(client)
    for url in ("/clinician/", f"/clinician/submissions/{submission_id}"):
        response = copy.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response.headers["Location"]).path == SIGN_IN
    assert not is_signed_in(copy)


def test_a_cookie_copied_into_another_browser_is_refused(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    copy = copy_of_session(app, client, user_agent="Another browser/1.0")
    assert copy.get("/clinician/").status_code == 302
    assert is_signed_in(client)


def test_signing_out_ends_the_session_on_every_device(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    elsewhere = app.test_client()
    sign_in(elsewhere)
    sign_in(client)
    sign_out(client)
    assert not is_signed_in(elsewhere)


def test_sign_out_everywhere_from_the_command_line(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, make_user: MakeUser
) -> None:
    user_id = make_user()
    sign_in(client)
    result = runner.invoke(args=["sign-out-everywhere", "nurse@example.org"])
    assert result.exit_code == 0, result.output
    assert "Signed out nurse@example.org everywhere" in result.output
    assert not is_signed_in(client)
    assert [(r.user_id, r.detail) for r in audit_rows(app, "sessions_ended")] == [
        (user_id, "by command")
    ]


def test_replaying_requests_does_not_outlive_the_maximum_session(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    with client.session_transaction("/clinician/") as sess:
        sess["signed_in_at"] = int(time.time() - 11.9 * 3600)
    assert is_signed_in(client)  # active all along: the idle clock alone would never end it
    with client.session_transaction("/clinician/") as sess:
        sess["signed_in_at"] = int(time.time() - 12.1 * 3600)
    response = client.get("/clinician/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out 12 hours after signing in" in page
    assert not is_signed_in(client)
    assert [r.detail for r in audit_rows(app, "sign_out")] == ["maximum session length"]


def test_disabling_an_account_from_the_command_line_ends_its_sessions(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    copy = copy_of_session(app, client)
    assert runner.invoke(args=["disable-clinician", "nurse@example.org"]).exit_code == 0
    assert runner.invoke(args=["enable-clinician", "nurse@example.org"]).exit_code == 0
    # Enabled again, the account signs in afresh; the old cookies stay dead.
    assert not is_signed_in(client)
    assert not is_signed_in(copy)
    assert sign_in(client).status_code == 302


# Staff and patient cookies are separate


def test_a_patient_page_never_carries_the_staff_session(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    response = sign_in(client)
    staff_cookie = client.get_cookie(STAFF_COOKIE, path="/clinician")
    assert staff_cookie is not None and staff_cookie.path == "/clinician"
    assert client.get_cookie("screening_session") is None
    client.get("/questionnaire/start")
    with client.session_transaction("/questionnaire/start") as patient_session:
        assert "_user_id" not in patient_session
    assert response.status_code == 302


def test_production_cookie_names_and_paths(monkeypatch) -> None:
    from cryptography.fernet import Fernet

    from screening import create_app

    app = create_app(
        {
            "ENV_NAME": "production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "s" * 40,
            "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "WEB_CONCURRENCY": 1,
            "MAIL_SERVER": "127.0.0.1",
        }
    )
    client = app.test_client()
    patient = client.get("/questionnaire/start", base_url="https://clinic.example")
    patient_cookie = patient.headers["Set-Cookie"]
    assert patient_cookie.startswith("__Host-screening_session=")
    assert "Path=/;" in patient_cookie and "Secure" in patient_cookie
    assert "Domain" not in patient_cookie
    staff = client.get("/clinician/sign-in", base_url="https://clinic.example")
    staff_cookie = staff.headers["Set-Cookie"]
    assert staff_cookie.startswith("__Secure-screening_staff=")
    assert "Path=/clinician;" in staff_cookie and "Secure" in staff_cookie
