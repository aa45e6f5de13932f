"""The outbox: emails recorded in the transaction that caused them, delivered by the worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import Encrypted
from ..extensions import db
from .base import UTCDateTime, utcnow


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
