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
from .rules.levels import LEVEL_RANK


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

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot sign in
        return self.active


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


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse any change to, or removal of, an audit row through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("the audit log is append-only")
