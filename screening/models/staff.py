"""Clinic staff: accounts, their recovery codes and invitations, and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..crypto import Encrypted
from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class Role(StrEnum):
    CLINICIAN = "clinician"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A clinic staff account: a clinician, or an admin who may also export and read the audit."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.CLINICIAN.value)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every session carries the generation it was opened in; signing out, disabling the
    # account or "sign out everywhere" adds one, so every copy of an older cookie is refused.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (TOTP): the shared secret, encrypted like answers, set once confirmed;
    # the last time step used, so a code is accepted once.
    totp_secret: Mapped[str | None] = mapped_column(Encrypted(as_json=False))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    # Opted in to an email for each new alert (besides ALERT_RECIPIENTS).
    alert_emails: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot sign in
        return self.active


class RecoveryCode(db.Model):
    """A single-use code that signs in without the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class Invitation(db.Model):
    """An admin's invitation to a new staff member: a single-use link, valid for a while.

    Only a hash of the link's token is kept, so the table cannot be used to accept it.
    """

    __tablename__ = "invitation"
    __table_args__ = (CheckConstraint("role IN ('clinician', 'admin')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(db.Model):
    """Who did what to which submission, and every sign-in attempt. Never edited or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_submission", "submission_id", "at"),
        Index("ix_audit_event_action", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # No foreign keys: the trail outlives purged submissions and removed accounts.
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    submission_id: Mapped[int | None] = mapped_column(Integer)
    client_address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(200))


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse any change to, or removal of, an audit row through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("the audit log is append-only")
