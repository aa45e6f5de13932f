"""Two-factor sign-in pages: the code after the password, and setting up an authenticator app."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import accounts, twofactor
from ..crypto import seal, unseal
from ..extensions import db, limiter
from ..models import User, utcnow
from . import bp
from .access import audit_here
from .auth import SIGN_IN_FAILED, local_target, sign_in_user

PENDING = "pending_sign_in"  # a right password, waiting for the second step
SETUP_SECRET = "totp_setup"  # the secret being set up, sealed with the app's keys
WRONG_CODE = (
    "The code is not right. Type the newest code from your authenticator app, or a recovery code."
)
WRONG_SETUP_CODE = (
    "The code is not right. Check that the time on your phone is set automatically, "
    "then type the newest code."
)


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[
            DataRequired("Enter the code from your authenticator app."),
            Length(max=20, message="Enter the 6-digit code or a recovery code."),
        ],
    )


def begin_second_step(user: User, target: str) -> Response:
    """The password was right: remember who, briefly, and ask for the code (or set-up)."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "at": int(time.time()),
        "next": target,
        "generation": user.session_generation,
    }
    db.session.commit()
    endpoint = "clinician.sign_in_code" if user.has_two_factor else "clinician.two_factor_setup"
    return redirect(url_for(endpoint))


def _pending() -> tuple[User, str] | None:
    """The account waiting for its second step, and where to go after, if still valid."""
    pending: Any = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    minutes = current_app.config["TWO_FACTOR_PENDING_MINUTES"]
    user = (
        db.session.get(User, pending.get("user")) if isinstance(pending.get("user"), int) else None
    )
    if (
        user is None
        or not user.active
        or user.session_generation != pending.get("generation")
        or time.time() - float(pending.get("at", 0)) > minutes * 60
    ):
        session.pop(PENDING, None)
        return None
    return user, local_target(pending.get("next")) or url_for("clinician.queue")


def _again() -> Response:
    flash("Please sign in again.")
    return redirect(url_for("clinician.sign_in"))


def _field_errors(form: FlaskForm, error: str | None) -> dict[str, str]:
    errors = {f.id: f.errors[0] for f in form if f.errors and f.id != "csrf_token"}
    if error:
        errors["code"] = error
    return errors


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def sign_in_code() -> Response | str:
    """The second step of signing in: a code from the app, or a recovery code."""
    pending = _pending()
    if pending is None:
        return _again()
    user, target = pending
    if not user.has_two_factor:
        return redirect(url_for("clinician.two_factor_setup"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        config = current_app.config
        now = utcnow()
        code = form.code.data or ""
        locked = accounts.is_locked(user, now)
        if not locked and twofactor.verify_code(user, code, now):
            return _signed_in(user, target)
        if not locked and twofactor.use_recovery_code(user, code, now):
            left = sum(1 for c in user.recovery_codes if c.used_at is None)
            audit_here("recovery_code_used", user=user, detail=f"{left} left")
            flash(f"You used a recovery code; {left} are left. Make new ones if you run low.")
            return _signed_in(user, target)
        if locked:
            detail = accounts.ACCOUNT_LOCKED
        else:
            locked = accounts.count_failure(
                user, now, config["SIGN_IN_MAX_FAILURES"], config["SIGN_IN_LOCK_MINUTES"]
            )
            detail = "wrong code; account locked" if locked else "wrong code"
        audit_here("sign_in_failed", detail=detail, user=user)
        db.session.commit()
        if locked:
            session.pop(PENDING, None)
            flash(SIGN_IN_FAILED.format(minutes=config["SIGN_IN_LOCK_MINUTES"]))
            return redirect(url_for("clinician.sign_in"))
        error = WRONG_CODE
    return render_template(
        "clinician/sign_in_code.html", form=form, errors=_field_errors(form, error)
    )


def _signed_in(user: User, target: str) -> Response:
    user.failed_logins = 0
    sign_in_user(user)
    db.session.commit()
    return redirect(target)


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def two_factor_setup() -> Response | str:
    """Set up an authenticator app: QR code and secret, then one code to confirm it."""
    if current_user.is_authenticated:
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        target = url_for("clinician.queue")
    else:
        pending = _pending()
        if pending is None:
            return _again()
        user, target = pending
    secret = unseal(session.get(SETUP_SECRET)) or twofactor.new_secret()
    session[SETUP_SECRET] = seal(secret)
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        step = twofactor.matching_step(secret, form.code.data or "", None, utcnow())
        if step is not None:
            codes = twofactor.enable(user, secret, step)
            audit_here("two_factor_enabled", user=user)
            session.pop(SETUP_SECRET, None)
            if not current_user.is_authenticated:
                sign_in_user(user)  # the pending sign-in is complete
            db.session.commit()
            return render_template("clinician/recovery_codes.html", codes=codes, target=target)
        error = WRONG_SETUP_CODE
    uri = twofactor.provisioning_uri(secret, user.email, current_app.config["CLINIC_NAME"])
    return render_template(
        "clinician/two_factor_setup.html",
        form=form,
        errors=_field_errors(form, error),
        qr=twofactor.qr_svg(uri),
        secret=twofactor.grouped(secret),
        replacing=user.has_two_factor,
    )
