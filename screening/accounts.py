"""Staff accounts: create, check a sign-in (with the lock), change a password.

No request handling here. Like services.py, these add and flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from . import passwords
from .extensions import db
from .models import Role, User

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
MAX_EMAIL_LENGTH = 254

# Why a sign-in failed: written to the audit log, never shown to the person signing in.
UNKNOWN_ACCOUNT = "unknown account"
WRONG_PASSWORD = "wrong password"
WRONG_PASSWORD_NOW_LOCKED = "wrong password; account locked"
ACCOUNT_LOCKED = "account locked"
ACCOUNT_DISABLED = "account disabled"


class SignIn(NamedTuple):
    """A sign-in attempt: the user on success, else why it failed; the account the email named."""

    user: User | None
    failure: str | None
    account: User | None


class WrongPassword(ValueError):
    """The current password given to change a password is not the account's password."""


def normalize_email(email: str) -> str:
    """Emails are stored and compared trimmed and lower-cased."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """A salted scrypt hash of the password, as Werkzeug writes it ("scrypt:...")."""
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    # Checked when the email is unknown, so an unknown email takes as long as a known one.
    return hash_password("not a password of any account")


def check_password_rules(password: str, email: str = "") -> None:
    """Raise ValueError, saying why, when a new password is too short, common or guessable."""
    problem = passwords.password_problem(password, email)
    if problem:
        raise ValueError(problem)


def user_by_email(email: str) -> User | None:
    """The account with this email (compared trimmed and lower-cased), if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email: str, password: str, role: str = Role.CLINICIAN.value) -> User:
    """A new staff account; ValueError on an invalid or taken email, a short password or role."""
    address = normalize_email(email)
    if len(address) > MAX_EMAIL_LENGTH:
        raise ValueError(f"The email address must be at most {MAX_EMAIL_LENGTH} characters long.")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"{address!r} is not a valid email address: {error}") from None
    if role not in {r.value for r in Role}:
        raise ValueError(f"The role must be one of: {', '.join(r.value for r in Role)}.")
    check_password_rules(password, address)
    if user_by_email(address) is not None:
        raise ValueError(f"An account with the email {address} already exists.")
    user = User(email=address, password_hash=hash_password(password), role=role, failed_logins=0)
    db.session.add(user)
    db.session.flush()
    return user


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def count_failure(user: User, now: datetime, max_failures: int, lock_minutes: int) -> bool:
    """Count a failed attempt (password or two-factor code); True if it locked the account."""
    # Counted in the database, so attempts at the same moment are all counted.
    user.failed_logins = User.failed_logins + 1
    db.session.flush()
    db.session.refresh(user, ["failed_logins"])
    if user.failed_logins >= max_failures:
        user.locked_until = now + timedelta(minutes=lock_minutes)
        db.session.flush()
        return True
    return False


def check_sign_in(
    email: str, password: str, now: datetime, max_failures: int, lock_minutes: int
) -> SignIn:
    """Check an email and password, counting failures and locking the account after too many.

    `max_failures` wrong passwords in a row lock the account for `lock_minutes`. While it is
    locked every attempt fails, even with the right password, and the lock is not extended.
    Once the lock has expired the count starts again.
    """
    user = user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return SignIn(None, UNKNOWN_ACCOUNT, None)
    if user.locked_until is not None and user.locked_until > now:
        check_password_hash(_dummy_hash(), password)
        return SignIn(None, ACCOUNT_LOCKED, user)
    if user.locked_until is not None:
        user.locked_until = None
        user.failed_logins = 0
        db.session.flush()
    if not check_password_hash(user.password_hash, password):
        locked = count_failure(user, now, max_failures, lock_minutes)
        return SignIn(None, WRONG_PASSWORD_NOW_LOCKED if locked else WRONG_PASSWORD, user)
    user.failed_logins = 0
    db.session.flush()
    if not user.active:
        return SignIn(None, ACCOUNT_DISABLED, user)
    return SignIn(user, None, user)


def end_sessions(user: User) -> None:
    """End every session of the account, on every device: older cookies are refused."""
    user.session_generation = User.session_generation + 1
    db.session.flush()
    db.session.refresh(user, ["session_generation"])


class LastAdmin(ValueError):
    """The change would leave the clinic without an active admin."""


def _is_last_active_admin(user: User) -> bool:
    if not (user.is_admin and user.active):
        return False
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)
    )
    return not others


def set_active(user: User, active: bool) -> None:
    """Disable (ending every session at once) or re-enable an account; the last active admin
    cannot be disabled (LastAdmin)."""
    if not active and _is_last_active_admin(user):
        raise LastAdmin("The last active admin cannot be disabled.")
    user.active = active
    end_sessions(user)


def set_role(user: User, role: str) -> None:
    """Change an account's role; the last active admin cannot be made a clinician (LastAdmin)."""
    if role not in {r.value for r in Role}:
        raise ValueError("Choose a role.")
    if role != Role.ADMIN.value and _is_last_active_admin(user):
        raise LastAdmin("The last active admin cannot be made a clinician.")
    user.role = role
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; WrongPassword if `current` is wrong, ValueError if `new` is weak."""
    if not check_password_hash(user.password_hash, current):
        raise WrongPassword("The current password is not right.")
    if new == current:
        raise ValueError("The new password must be different from the current one.")
    check_password_rules(new, user.email)
    user.password_hash = hash_password(new)
    db.session.flush()
