"""Two-factor sign-in (issue 14, part 2): set-up with a QR code and a key, a code after the
password, recovery codes once each, replays refused, failures counted toward the lock."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from screening.extensions import db
from tests.helpers import csrf_token

from .helpers import MakeUser, audit_rows, get_user, is_signed_in, sign_in, sign_out

SET_UP = "/clinician/two-factor"
CODE_PAGE = "/clinician/sign-in/code"


def set_up_two_factor(client: FlaskClient) -> tuple[str, list[str]]:
    """Scan (read) the key off the set-up page, confirm a code; the key and recovery codes."""
    page = client.get(SET_UP).get_data(as_text=True)
    assert '<svg role="img"' in page and "<title>QR code for your authenticator app</title>" in page
    secret = re.search(r'<code class="secret" id="secret">([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    response = client.post(
        SET_UP, data={"csrf_token": csrf_token(page), "code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    html = response.get_data(as_text=True)
    assert "they are shown only now" in html
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def next_code(secret: str) -> str:
    """The code of the next time step (the current one was used by the set-up)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enter_code(client: FlaskClient, code: str):
    page = client.get(CODE_PAGE)
    assert page.status_code == 200, page.headers.get("Location")
    return client.post(
        CODE_PAGE, data={"csrf_token": csrf_token(page.get_data(as_text=True)), "code": code}
    )


def test_set_up_then_sign_in_with_a_code_a_recovery_code_and_no_replays(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    sign_in(client)
    secret, recovery = set_up_two_factor(client)
    assert [r.user_id for r in audit_rows(app, "two_factor_enabled")] == [user_id]
    sign_out(client)

    # The password alone is not enough now.
    response = sign_in(client)
    assert urlsplit(response.headers["Location"]).path == CODE_PAGE
    assert not is_signed_in(client)
    code = next_code(secret)
    assert enter_code(client, code).headers["Location"] == "/clinician/"
    assert is_signed_in(client)
    sign_out(client)

    # The same code again: refused, and counted.
    sign_in(client)
    replay = enter_code(client, code)
    assert replay.status_code == 200
    assert "The code is not right" in replay.get_data(as_text=True)
    assert not is_signed_in(client)
    assert get_user(app).failed_logins == 1

    # A recovery code signs in once.
    assert enter_code(client, recovery[0].upper()).status_code == 302
    assert is_signed_in(client)
    sign_out(client)
    sign_in(client)
    assert enter_code(client, recovery[0]).status_code == 200
    assert enter_code(client, recovery[1]).status_code == 302
    assert [r.detail for r in audit_rows(app, "recovery_code_used")] == ["9 left", "8 left"]


def test_two_factor_required_means_set_up_at_the_next_sign_in(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    app.config["REQUIRE_TWO_FACTOR"] = True
    make_user()
    response = sign_in(client)
    assert urlsplit(response.headers["Location"]).path == SET_UP
    assert not is_signed_in(client)
    assert client.get("/clinician/").status_code == 302
    set_up_two_factor(client)
    assert is_signed_in(client)
    assert get_user(app).last_sign_in_at is not None


def test_wrong_codes_count_toward_the_account_lock(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    set_up_two_factor(client)
    sign_out(client)
    sign_in(client)
    for _ in range(4):
        assert enter_code(client, "000000").status_code == 200
    locked = enter_code(client, "000000")
    assert locked.headers["Location"] == "/clinician/sign-in"
    assert get_user(app).locked_until is not None
    # Even the right password is refused while it is locked.
    refused = sign_in(client)
    assert refused.status_code == 200
    assert "locked" in refused.get_data(as_text=True)
    assert client.get(CODE_PAGE).status_code == 302
    assert not is_signed_in(client)
    details = [r.detail for r in audit_rows(app, "sign_in_failed")]
    assert details == [*["wrong code"] * 4, "wrong code; account locked", "account locked"]


def test_the_code_page_without_a_password_first_goes_to_sign_in(client: FlaskClient) -> None:
    for url in (CODE_PAGE, SET_UP):
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/clinician/sign-in"


def test_the_secret_is_encrypted_at_rest_and_rotated(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    from cryptography.fernet import Fernet

    from screening import create_app

    make_user()
    sign_in(client)
    secret, _ = set_up_two_factor(client)
    with app.app_context():
        stored = db.session.execute(text("SELECT totp_secret FROM user_account")).scalar_one()
    assert secret not in stored and stored.startswith("gAAAAA")
    rotated = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{app.config['ENCRYPTION_KEYS']}",
        }
    )
    result = rotated.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0 and "Re-encrypted 1 values" in result.output
    with rotated.app_context():
        assert (
            db.session.execute(text("SELECT totp_secret FROM user_account")).scalar_one() != stored
        )
        db.engine.dispose()
