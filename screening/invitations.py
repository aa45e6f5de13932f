"""Invitations of new staff by an admin: a single-use link by email, valid INVITATION_HOURS.

No request handling here; like services.py these add and flush, and the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from . import accounts
from .extensions import db
from .mail import public_url, queue_email
from .models import Invitation, Role, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(email: str, role: str, by: User, now: datetime, hours: int, clinic: str) -> Invitation:
    """Record an invitation and queue its email; ValueError for a bad or taken email."""
    address = accounts.normalize_email(email)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("Enter a valid email address, like name@clinic.example.") from None
    if role not in {r.value for r in Role}:
        raise ValueError("Choose a role.")
    if accounts.user_by_email(address) is not None:
        raise ValueError("This person already has an account.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=address,
        role=role,
        token_hash=_hash(token),
        invited_by_id=by.id,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    db.session.add(invitation)
    queue_email(
        address,
        "staff_invitation",
        link=public_url("clinician.accept_invitation", token=token),
        clinic=clinic,
        hours=hours,
        role=role,
    )
    db.session.flush()
    return invitation


def valid_invitation(token: str, now: datetime) -> Invitation | None:
    """The unused, unexpired invitation of this link, if any."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return None
    return invitation


def accept(invitation: Invitation, password: str, now: datetime) -> User:
    """Create the invited account with its chosen password; the link is used up."""
    user = accounts.create_user(invitation.email, password, invitation.role)
    invitation.used_at = now
    db.session.flush()
    return user


def pending_invitations(now: datetime) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.used_at.is_(None), Invitation.expires_at > now)
            .order_by(Invitation.created_at.desc())
        )
    )
