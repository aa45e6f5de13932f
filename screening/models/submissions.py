"""Answers in progress and submitted: drafts, submissions and their flags, clinicians' notes,
and the emailed links that reach a draft or a summary."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import Encrypted
from ..extensions import db
from ..rules.levels import LEVEL_RANK
from .base import UTCDateTime, one_of, utcnow

if TYPE_CHECKING:
    from .staff import User


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
