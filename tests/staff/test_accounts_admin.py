"""Staff accounts in the browser (issue 14, part 1): invitations, roles, disabling, signing
out everywhere, resetting two-factor; the last admin kept; clinicians refused."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from screening.extensions import db
from screening.models import Invitation, OutboxEmail, User, utcnow
from tests.helpers import csrf_token, post_form

from .helpers import PASSWORD, MakeUser, audit_rows, get_user, is_signed_in, sign_in
from .test_two_factor import SET_UP, set_up_two_factor

ACCOUNTS = "/clinician/accounts"
ADMIN = "boss@example.org"


@pytest.fixture
def admin(app: Flask, client: FlaskClient, make_user: MakeUser) -> int:
    """The client signed in as an admin; the admin's id."""
    user_id = make_user(ADMIN, role="admin")
    sign_in(client, ADMIN)
    return user_id


def post_action(client: FlaskClient, url: str, data: dict | None = None):
    token = csrf_token(client.get(ACCOUNTS).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def user_id_of(app: Flask, email: str) -> int:
    return get_user(app, email).id


def invitation_link(app: Flask) -> str:
    with app.app_context():
        email = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
        assert email is not None and email.kind == "staff_invitation"
        match = re.search(r"https?://\S+/clinician/invitation/\S+", email.body)
        assert match, email.body
        assert "72 hours" in email.body
        return urlsplit(match.group(0)).path


def test_invite_choose_password_set_up_two_factor_and_sign_in(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    response = post_action(
        client, f"{ACCOUNTS}/invite", {"email": "new@example.org", "role": "clinician"}
    )
    assert response.headers["Location"] == ACCOUNTS
    page = client.get(ACCOUNTS).get_data(as_text=True)
    assert "An invitation was sent to new@example.org" in page
    assert "new@example.org (clinician)" in page
    link = invitation_link(app)
    with app.app_context():
        stored = db.session.scalars(select(Invitation)).one()
        assert link.rsplit("/", 1)[-1] not in stored.token_hash  # only a hash is kept

    newcomer = app.test_client()
    weak = post_form(newcomer, link, {"password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422
    assert "too easy to guess" in weak.get_data(as_text=True)
    chosen = post_form(newcomer, link, {"password": PASSWORD, "confirm": PASSWORD})
    assert urlsplit(chosen.headers["Location"]).path == SET_UP
    set_up_two_factor(newcomer)
    assert is_signed_in(newcomer)
    assert get_user(app, "new@example.org").role == "clinician"

    # The link worked once.
    again = newcomer.get(link)
    assert again.status_code == 404
    assert "This invitation link does not work" in again.get_data(as_text=True)
    actions = [r.action for r in audit_rows(app)]
    assert "invitation_sent" in actions and "invitation_accepted" in actions


def test_forged_and_expired_invitation_links_say_so(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    assert client.get("/clinician/invitation/forged-token").status_code == 404
    assert client.get("/clinician/invitation/" + "x" * 500).status_code == 404
    post_action(client, f"{ACCOUNTS}/invite", {"email": "late@example.org", "role": "clinician"})
    link = invitation_link(app)
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 404
    assert "have expired" in response.get_data(as_text=True)


def test_inviting_an_existing_account_is_refused_beside_the_field(
    client: FlaskClient, admin: int
) -> None:
    response = post_action(client, f"{ACCOUNTS}/invite", {"email": ADMIN, "role": "clinician"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and "already has an account" in html


def test_disable_ends_sessions_at_once_and_enable_lets_them_sign_in(
    app: Flask, client: FlaskClient, make_user: MakeUser, admin: int
) -> None:
    nurse_id = make_user()
    nurse = app.test_client()
    sign_in(nurse)
    assert post_action(client, f"{ACCOUNTS}/{nurse_id}/disable").status_code == 302
    assert not is_signed_in(nurse)
    assert "Disabled" in client.get(ACCOUNTS).get_data(as_text=True)
    assert sign_in(nurse).status_code == 200
    post_action(client, f"{ACCOUNTS}/{nurse_id}/enable")
    assert sign_in(nurse).status_code == 302
    post_action(client, f"{ACCOUNTS}/{nurse_id}/sign-out")
    assert not is_signed_in(nurse)
    details = [(r.action, r.detail) for r in audit_rows(app) if r.user_id == admin]
    assert ("account_disabled", "nurse@example.org") in details
    assert ("account_enabled", "nurse@example.org") in details
    assert ("sessions_ended", "nurse@example.org") in details


def test_the_last_active_admin_cannot_be_disabled_or_demoted(
    app: Flask, client: FlaskClient, make_user: MakeUser, admin: int
) -> None:
    post_action(client, f"{ACCOUNTS}/{admin}/disable")
    assert "The last active admin cannot be disabled" in client.get(ACCOUNTS).get_data(as_text=True)
    post_action(client, f"{ACCOUNTS}/{admin}/role", {"role": "clinician"})
    page = client.get(ACCOUNTS).get_data(as_text=True)
    assert "The last active admin cannot be made a clinician" in page
    assert get_user(app, ADMIN).role == "admin" and get_user(app, ADMIN).active
    # With a second admin, the first may become a clinician.
    other = make_user("second@example.org", role="admin")
    post_action(client, f"{ACCOUNTS}/{other}/role", {"role": "clinician"})
    assert get_user(app, "second@example.org").role == "clinician"
    assert [r.detail for r in audit_rows(app, "role_changed")] == [
        "second@example.org: admin -> clinician"
    ]


def test_reset_two_factor_means_setting_it_up_again(
    app: Flask, client: FlaskClient, make_user: MakeUser, admin: int
) -> None:
    app.config["REQUIRE_TWO_FACTOR"] = True
    nurse_id = make_user()
    nurse = app.test_client()
    sign_in(nurse)
    set_up_two_factor(nurse)
    post_action(client, f"{ACCOUNTS}/{nurse_id}/reset-two-factor")
    assert not is_signed_in(nurse)
    assert urlsplit(sign_in(nurse).headers["Location"]).path == SET_UP
    with app.app_context():
        assert db.session.get(User, nurse_id).totp_secret is None


def test_a_clinician_gets_403_on_every_admin_action(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    target = make_user("other@example.org")
    sign_in(client)
    token = csrf_token(client.get("/clinician/password").get_data(as_text=True))
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("clinician.")
        and app.view_functions[rule.endpoint].__module__.endswith("accounts_admin")
        and rule.endpoint != "clinician.accept_invitation"
    ]
    assert len(rules) >= 7
    for rule in rules:
        url = rule.rule.replace("<int:user_id>", str(target))
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.open(url, method=method, data={"csrf_token": token, "role": "admin"})
            assert response.status_code == 403, (method, url)
    assert get_user(app, "other@example.org").role == "clinician"
