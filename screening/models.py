"""Typed SQLAlchemy 2.0 models: drafts in progress and stored submissions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    TypeDecorator,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .crypto import Encrypted
from .extensions import db
from .rules.levels import LEVEL_RANK, Level


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def one_of(column: str, members: Iterable[StrEnum]) -> str:
    """A check constraint's SQL: the column holds one of these enum values (as Indico does)."""
    return f"{column} IN ({', '.join(repr(member.value) for member in members)})"


class ReviewStatus(StrEnum):
    """Where a submission's review stands; one enum for services, forms, templates and the
    database check constraint."""

    NEW = "new"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Draft(db.Model):
    """Answers in progress, tied to one browser session by a random token."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(Encrypted())
    completed_pages: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, index=True
    )


class Submission(db.Model):
    """A submitted questionnaire: the answers, and the flags and scores the rules gave them."""

    __tablename__ = "submission"
    __table_args__ = (
        CheckConstraint(one_of("status", ReviewStatus), name="status_known"),
        # 0 is "no flags"; each level's rank above it (rules/levels.py).
        CheckConstraint(
            f"highest_level_rank BETWEEN 0 AND {max(LEVEL_RANK.values())}", name="rank_in_range"
        ),
        # The review queue's order (most urgent first, then oldest, then id), so a page of
        # the queue is read straight off the index, however deep, without sorting rows.
        Index(
            "ix_submission_queue",
            text("highest_level_rank DESC"),
            "created_at",
            "id",
        ),
        Index(
            "ix_submission_status_queue",
            "status",
            text("highest_level_rank DESC"),
            "created_at",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    # One submission per draft, whatever the browser resends: the unique key refuses the second.
    submit_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    rules_version: Mapped[str] = mapped_column(String(16))
    # "en" or "es", as the answers say: the queue and the CSV show it without decrypting them.
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # Health information is encrypted at rest; levels, flag ids, scores and status are not,
    # so the queue can sort and filter on them.
    answers: Mapped[dict[str, Any]] = mapped_column(Encrypted())
    flags: Mapped[list[dict[str, Any]]] = mapped_column(Encrypted())
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    highest_level: Mapped[str | None] = mapped_column(String(16))
    highest_level_rank: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.NEW.value, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    notes: Mapped[list[Note]] = relationship(
        order_by="Note.created_at", cascade="all, delete-orphan"
    )

    flag_rows: Mapped[list[SubmissionFlag]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="SubmissionFlag.id"
    )


class SubmissionFlag(db.Model):
    """One flag of a submission, so the queue can be filtered by flag id and level."""

    __tablename__ = "submission_flag"
    __table_args__ = (Index("ix_submission_flag_lookup", "flag_id", "level", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    flag_id: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(16))

    submission: Mapped[Submission] = relationship(back_populates="flag_rows")


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


class Note(db.Model):
    """A clinician's note on a submission: append-only, with author and time."""

    __tablename__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[str] = mapped_column(Encrypted(as_json=False))

    author: Mapped[User] = relationship()


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


class OutboxEmail(db.Model):
    """An email to send, written in the same transaction as the change that caused it.

    A worker delivers pending rows (sent_at is null, next_attempt_at has come) and marks them
    sent; the view never talks to SMTP. Address and body are encrypted like answers.
    """

    __tablename__ = "outbox_email"
    __table_args__ = (Index("ix_outbox_email_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What caused it, for the worker's log and tests ("confirmation", "alert", ...): no answers.
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(Encrypted(as_json=False))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Encrypted(as_json=False))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    # A worker claims a row before sending it; a claim older than the lease is abandoned
    # (its worker died) and may be taken again.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The levels an alert can have: urgent always, high when ALERT_LEVELS includes it.
ALERT_LEVELS: tuple[Level, ...] = (Level.URGENT, Level.HIGH)


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class ContactMethod(StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"


class ContactOutcome(StrEnum):
    REACHED = "reached"
    LEFT_MESSAGE = "left_message"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"


class CallbackRequest(db.Model):
    """ "Ask the clinic to call you" from the crisis page: stored at once, questionnaire or not."""

    __tablename__ = "callback_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    # The form's one-time key: a double click or a resent form stores one request.
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    phone: Mapped[str] = mapped_column(Encrypted(as_json=False))
    first_name: Mapped[str | None] = mapped_column(Encrypted(as_json=False))


class Alert(db.Model):
    """A safety alert on a submission or a callback request: open -> acknowledged -> closed."""

    __tablename__ = "alert"
    __table_args__ = (
        CheckConstraint(one_of("state", AlertState), name="state_known"),
        CheckConstraint(one_of("level", ALERT_LEVELS), name="level_known"),
        CheckConstraint(
            "submission_id IS NOT NULL OR callback_request_id IS NOT NULL", name="has_subject"
        ),
        Index("ix_alert_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    level: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=AlertState.OPEN.value)
    reference: Mapped[str] = mapped_column(String(8))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    callback_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_request.id", ondelete="CASCADE"), index=True
    )
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it was closed without a reached contact (staff's words: encrypted like notes).
    close_reason: Mapped[str | None] = mapped_column(Encrypted(as_json=False))

    submission: Mapped[Submission | None] = relationship()
    callback_request: Mapped[CallbackRequest | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])


class ContactAttempt(db.Model):
    """One try at reaching the person: when, how, what happened, and a note."""

    __tablename__ = "contact_attempt"
    __table_args__ = (
        CheckConstraint(one_of("method", ContactMethod), name="method_known"),
        CheckConstraint(one_of("outcome", ContactOutcome), name="outcome_known"),
        CheckConstraint(
            "submission_id IS NOT NULL OR callback_request_id IS NOT NULL", name="has_subject"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    callback_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_request.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Encrypted(as_json=False))

    author: Mapped[User] = relationship()


class ResumeLink(db.Model):
    """An emailed link that moves a draft to another browser: single use, stored as a hash.

    Opening it asks for the date of birth (or, before one is saved, the email address it was
    sent to); five wrong answers lock it. It expires with its draft (DRAFT_TTL_DAYS).
    """

    __tablename__ = "resume_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A salted hash of the address the link was sent to: asked for when no date of birth is saved.
    email_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)


class DraftReminder(db.Model):
    """The one reminder email a person asked for, scheduled in the outbox; cancellable."""

    __tablename__ = "draft_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), unique=True)
    # No foreign key: the worker owns outbox rows; cancelling deletes the row while unsent.
    outbox_email_id: Mapped[int] = mapped_column(Integer)
    cancel_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SummaryLink(db.Model):
    """The link to a patient's own summary in their confirmation email, stored as a hash.

    It asks for the date of birth (five wrong answers lock it) and works for
    SUMMARY_LINK_DAYS; each opening is audited against the submission.
    """

    __tablename__ = "summary_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse any change to, or removal of, an audit row through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("the audit log is append-only")
