"""Safety alerts, crisis-page call-back requests and the attempts to reach the person."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import Encrypted
from ..extensions import db
from ..rules.levels import Level
from .base import UTCDateTime, one_of, utcnow

if TYPE_CHECKING:
    from .staff import User
    from .submissions import Submission


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


class AboutSomeone:
    """A row about a person: their submission, their crisis-page call-back request, or both
    (`has_subject` says at least one)."""

    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    callback_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_request.id", ondelete="CASCADE"), index=True
    )


def has_subject() -> CheckConstraint:
    """An `AboutSomeone` row names its person."""
    return CheckConstraint(
        "submission_id IS NOT NULL OR callback_request_id IS NOT NULL", name="has_subject"
    )


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


class Alert(AboutSomeone, db.Model):
    """A safety alert on a submission or a callback request: open -> acknowledged -> closed."""

    __tablename__ = "alert"
    __table_args__ = (
        CheckConstraint(one_of("state", AlertState), name="state_known"),
        CheckConstraint(one_of("level", ALERT_LEVELS), name="level_known"),
        has_subject(),
        Index("ix_alert_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    level: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=AlertState.OPEN.value)
    reference: Mapped[str] = mapped_column(String(8))
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


class ContactAttempt(AboutSomeone, db.Model):
    """One try at reaching the person: when, how, what happened, and a note."""

    __tablename__ = "contact_attempt"
    __table_args__ = (
        CheckConstraint(one_of("method", ContactMethod), name="method_known"),
        CheckConstraint(one_of("outcome", ContactOutcome), name="outcome_known"),
        has_subject(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Encrypted(as_json=False))

    author: Mapped[User] = relationship()
