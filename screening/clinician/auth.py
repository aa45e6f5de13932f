"""Sign-in, sign-out and passwords for clinic staff (Flask-Login)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from .. import accounts
from ..extensions import db, limiter, login_manager
from ..models import User, utcnow
from . import bp
from .access import audit_here
from .forms import plain_text

login_manager.login_view = "clinician.sign_in"
login_manager.login_message = "Please sign in to see this page."

# One message for every failure: saying "locked" only for real accounts would tell a stranger
# which emails have accounts (unknown emails never lock).
SIGN_IN_FAILED = (
    "The email or password is not right, or the account is locked after too many attempts. "
    "Check them and try again, or wait {minutes} minutes."
)
PLAUSIBLE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SESSION_KEY_LAST_SEEN = "last_seen"  # UTC epoch seconds of the staff member's last request
SESSION_KEY_STAMP = "auth_stamp"  # ties the session to the password it was opened with
SESSION_KEY_GENERATION = "generation"  # the account's session generation at sign-in
SESSION_KEY_SIGNED_IN = "signed_in_at"  # UTC epoch seconds of the sign-in

# Flask-Login forgets the user when the session's address or browser changes ("strong").
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address."), Length(max=320), plain_text],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a new password."),
            Length(
                min=accounts.MIN_PASSWORD_LENGTH,
                message=f"The new password must be at least {accounts.MIN_PASSWORD_LENGTH} "
                "characters long.",
            ),
        ],
    )
    confirm_password = PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("new_password", "The two new passwords are not the same."),
        ],
    )


def local_target(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/..."), else None: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "\" as "/" and drop tabs and newlines, so "/\evil" would leave the site.
    if "\\" in target or any(ch.isspace() or ord(ch) < 0x20 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _stamp(user: User) -> str:
    """A keyed digest of the password hash: a new password ends every other session."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def _start_session(user: User) -> None:
    # A fresh session, so an identifier planted before sign-in is worth nothing after it.
    session.clear()
    login_user(user)
    # Ends when the browser closes; the patient side's 14-day lifetime is not for staff.
    session.permanent = False
    now = int(time.time())
    session[SESSION_KEY_LAST_SEEN] = now
    session[SESSION_KEY_SIGNED_IN] = now
    session[SESSION_KEY_STAMP] = _stamp(user)
    session[SESSION_KEY_GENERATION] = user.session_generation


def sign_in_user(user: User) -> None:
    """Open a staff session for an account that has passed every check (the caller commits)."""
    audit_here("sign_in", user=user)
    user.last_sign_in_at = utcnow()
    _start_session(user)


def _end_session() -> None:
    logout_user()
    session.clear()


def _audit_email(typed: str) -> str | None:
    """The typed email for the audit of an unknown account, unless it may be something else."""
    typed = typed.strip()
    return typed[: accounts.MAX_EMAIL_LENGTH] if PLAUSIBLE_EMAIL.fullmatch(typed) else None


def _field_errors(form: FlaskForm) -> dict[str, str]:
    """The first error of each field, by element id, for the error summary."""
    return {
        field.id: field.errors[0] for field in form if field.errors and field.id != "csrf_token"
    }


def _session_ended(user: User, now: float) -> tuple[str, str] | None:
    """Why this staff session may not go on (audit detail, message), or None if it may."""
    if session.get(SESSION_KEY_GENERATION) != user.session_generation:
        # Signed out (or disabled, or signed out everywhere) since this cookie was issued:
        # a copy of a dead session, so nothing to audit.
        return "session ended", "Please sign in again."
    config = current_app.config
    idle_minutes = config["SESSION_IDLE_MINUTES"]
    last_seen = session.get(SESSION_KEY_LAST_SEEN)
    if not isinstance(last_seen, int | float) or now - last_seen > idle_minutes * 60:
        return "inactivity", f"You were signed out after {idle_minutes} minutes without activity."
    signed_in = session.get(SESSION_KEY_SIGNED_IN)
    max_hours = config["SESSION_MAX_HOURS"]
    if not isinstance(signed_in, int | float) or now - signed_in > max_hours * 3600:
        return "maximum session length", (
            f"You were signed out {max_hours} hours after signing in. Please sign in again."
        )
    if session.get(SESSION_KEY_STAMP) != _stamp(user):
        return "password changed", "Please sign in again."
    return None


@bp.before_request
def end_stale_session() -> Response | None:
    """Sign staff out when idle, past SESSION_MAX_HOURS, signed out elsewhere, or the password
    changed. Every request checks the account's session generation, so a copied cookie dies
    with the session it was copied from."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    ended = _session_ended(current_user, now)
    if ended is None:
        session[SESSION_KEY_LAST_SEEN] = int(now)
        return None
    detail, message = ended
    # Only the first request of a live session audits its end: a replayed stale copy does not
    # write to the audit log each time.
    if detail in ("inactivity", "maximum session length", "password changed"):
        audit_here("sign_out", detail=detail)
        db.session.commit()
    _end_session()
    flash(message)
    if request.endpoint == "clinician.sign_in":
        return None
    next_path = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("clinician.sign_in", next=next_path))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def sign_in() -> Response | str:
    target = local_target(request.args.get("next")) or url_for("clinician.queue")
    if current_user.is_authenticated:
        return redirect(target)
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        config = current_app.config
        email, password = form.email.data or "", form.password.data or ""
        user, failure, account = accounts.check_sign_in(
            email,
            password,
            now=utcnow(),
            max_failures=config["SIGN_IN_MAX_FAILURES"],
            lock_minutes=config["SIGN_IN_LOCK_MINUTES"],
        )
        if user is not None:
            if user.has_two_factor or config["REQUIRE_TWO_FACTOR"]:
                from .two_factor import begin_second_step

                return begin_second_step(user, target)
            sign_in_user(user)
            db.session.commit()
            return redirect(target)
        audit_here(
            "sign_in_failed",
            detail=failure,
            user=account,
            user_email=None if account else _audit_email(email),
        )
        db.session.commit()
        failed = True
    errors = _field_errors(form)
    if failed:
        errors = {
            "email": SIGN_IN_FAILED.format(minutes=current_app.config["SIGN_IN_LOCK_MINUTES"])
        }
    return render_template("clinician/sign_in.html", form=form, errors=errors, failed=failed)


@bp.post("/sign-out")
def sign_out() -> Response:
    """Sign out: every copy of this account's session cookie, on every device, stops working."""
    if current_user.is_authenticated:
        audit_here("sign_out")
        accounts.end_sessions(current_user._get_current_object())  # type: ignore[attr-defined]
        db.session.commit()
    _end_session()
    flash("You have signed out.")
    return redirect(url_for("clinician.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
@login_required
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        try:
            accounts.change_password(
                user, form.current_password.data or "", form.new_password.data or ""
            )
        except accounts.WrongPassword as error:
            form.current_password.errors.append(str(error))
        except ValueError as error:
            form.new_password.errors.append(str(error))
        else:
            audit_here("password_changed")
            session[SESSION_KEY_STAMP] = _stamp(user)
            db.session.commit()
            flash("Your password has been changed.")
            return redirect(url_for("clinician.change_password"))
    errors = _field_errors(form)
    return render_template(
        "clinician/change_password.html",
        form=form,
        errors=errors,
        min_length=accounts.MIN_PASSWORD_LENGTH,
    )
