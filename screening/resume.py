"""Links in emails: continue a draft in another browser, and reopen one's own summary.

A link carries only a random token; the database keeps its SHA-256 hash, so a copy of the
database opens nothing. Opening a link asks a question only the person can answer (their date
of birth, or before they gave one, the address the link was sent to); five wrong answers lock
it. These functions add and flush; the view commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from enum import StrEnum

import limits
import limits.strategies
from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from . import mail
from .extensions import db, limiter
from .models import Draft, DraftReminder, OutboxEmail, ResumeLink, Submission, SummaryLink, utcnow
from .questionnaire.types import get
from .questionnaire.words import document_language


class LinkState(StrEnum):
    """Why a link can or cannot be used; people are told the same thing whatever the reason."""

    OPEN = "open"
    UNKNOWN = "unknown"  # forged, mistyped, or its draft or submission is gone
    EXPIRED = "expired"
    USED = "used"
    LOCKED = "locked"


class Question(StrEnum):
    """What a link asks before anything is shown."""

    DATE_OF_BIRTH = "date_of_birth"
    EMAIL = "email"


def token_hash(token: str) -> str:
    """The stored form of a link token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A random link token (256 bits)."""
    return secrets.token_urlsafe(32)


def rotate_draft_token(draft: Draft) -> str:
    """Give a draft a new browser token, so copies of the old cookie no longer reach it."""
    draft.token = new_token()
    db.session.flush()
    return draft.token


def over_limit(limit: str, *keys: str) -> bool:
    """Count one hit against each of `limit` ("10 per minute; 100 per hour") for these keys;
    True when any is exceeded. The limiter's storage is shared by every app server."""
    if not limiter.enabled:
        return False
    # A moving window: a burst straddling a minute boundary is still one burst.
    strategy = limits.strategies.MovingWindowRateLimiter(limiter.storage)
    results = [strategy.hit(item, "screening", *keys) for item in limits.parse_many(limit)]
    return not all(results)


def draft_expires_at(draft: Draft) -> datetime:
    """When a draft goes: DRAFT_TTL_DAYS after it was last saved (as purge-expired counts)."""
    return draft.updated_at + timedelta(days=current_app.config["DRAFT_TTL_DAYS"])


def is_expired(draft: Draft, now: datetime) -> bool:
    return draft_expires_at(draft) <= now


# --- Continue later ---------------------------------------------------------------------------


def normal_email(address: str) -> str:
    return address.strip().lower()


def create_resume_link(draft: Draft, email: str, now: datetime) -> str:
    """A new single-use link to this draft, sent to `email`; returns the token (kept nowhere)."""
    token = new_token()
    db.session.add(
        ResumeLink(
            draft_id=draft.id,
            token_hash=token_hash(token),
            email_hash=generate_password_hash(normal_email(email)),
            created_at=now,
            expires_at=now + timedelta(days=current_app.config["DRAFT_TTL_DAYS"]),
        )
    )
    db.session.flush()
    return token


def send_resume_link(
    draft: Draft, email: str, now: datetime, reminder: tuple[str, datetime] | None = None
) -> OutboxEmail:
    """Queue the email with a new link to continue (and, when a reminder is scheduled, the
    link that cancels it and its date); it holds no answers."""
    token = create_resume_link(draft, email, now)
    cancel_link, remind_on = reminder or (None, None)
    [row] = mail.queue_email(
        email,
        "resume_link",
        language=document_language(draft.answers),
        link=mail.public_url("patient.continue_draft", token=token),
        expires=(now + timedelta(days=current_app.config["DRAFT_TTL_DAYS"])).date(),
        clinic_name=current_app.config["CLINIC_NAME"],
        cancel_link=cancel_link,
        remind_on=remind_on,
    )
    return row


def resume_link_for(token: str) -> ResumeLink | None:
    return db.session.scalar(select(ResumeLink).where(ResumeLink.token_hash == token_hash(token)))


def resume_link_state(link: ResumeLink | None, now: datetime) -> LinkState:
    """Whether the link can still be answered."""
    if link is None:
        return LinkState.UNKNOWN
    draft = db.session.get(Draft, link.draft_id)
    if draft is None:
        return LinkState.UNKNOWN
    if link.used_at is not None:
        return LinkState.USED
    if link.failed_attempts >= current_app.config["LINK_MAX_FAILURES"]:
        return LinkState.LOCKED
    if link.expires_at <= now or is_expired(draft, now):
        return LinkState.EXPIRED
    return LinkState.OPEN


def date_of_birth(answers: dict) -> date | None:
    """The saved date of birth, when there is a valid one."""
    value = get(answers, "about.date_of_birth")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def question_for(draft: Draft) -> Question:
    """Date of birth once it is saved; before that, the address the link was sent to."""
    return Question.DATE_OF_BIRTH if date_of_birth(draft.answers) else Question.EMAIL


def answer_matches(expected: date | None, answer: str) -> bool:
    """A typed date of birth against the saved one."""
    try:
        given = date.fromisoformat(answer.strip())
    except ValueError:
        return False
    return expected is not None and hmac.compare_digest(given.isoformat(), expected.isoformat())


def check_resume_answer(link: ResumeLink, draft: Draft, answer: str) -> bool:
    """Whether the answer to the link's question is right; a wrong one counts against it."""
    if question_for(draft) is Question.DATE_OF_BIRTH:
        right = answer_matches(date_of_birth(draft.answers), answer)
    else:
        right = check_password_hash(link.email_hash, normal_email(answer))
    if not right:
        link.failed_attempts += 1
    db.session.flush()
    return right


def use_resume_link(link: ResumeLink, draft: Draft, now: datetime) -> str:
    """Spend the link and move the draft to the browser that answered: returns its new token."""
    link.used_at = now
    return rotate_draft_token(draft)


# --- Reminders --------------------------------------------------------------------------------


def cancel_reminder(draft_id: int) -> bool:
    """Drop a draft's pending reminder (the outbox row too, while unsent); True if there was one."""
    reminder = db.session.scalar(select(DraftReminder).where(DraftReminder.draft_id == draft_id))
    if reminder is None:
        return False
    db.session.execute(
        delete(OutboxEmail).where(
            OutboxEmail.id == reminder.outbox_email_id, OutboxEmail.sent_at.is_(None)
        )
    )
    db.session.delete(reminder)
    db.session.flush()
    return True


def schedule_reminder(draft: Draft, email: str, now: datetime) -> tuple[str, datetime]:
    """One reminder, RESUME_REMINDER_DAYS ahead, with its own link to continue; returns the
    address that cancels it and when it will be sent."""
    cancel_reminder(draft.id)
    send_at = now + timedelta(days=current_app.config["RESUME_REMINDER_DAYS"])
    cancel_token = new_token()
    [row] = mail.queue_email(
        email,
        "resume_reminder",
        language=document_language(draft.answers),
        link=mail.public_url("patient.continue_draft", token=create_resume_link(draft, email, now)),
        expires=(now + timedelta(days=current_app.config["DRAFT_TTL_DAYS"])).date(),
        clinic_name=current_app.config["CLINIC_NAME"],
    )
    row.next_attempt_at = send_at  # a scheduled email: the worker sends it when this comes
    db.session.add(
        DraftReminder(
            draft_id=draft.id, outbox_email_id=row.id, cancel_token_hash=token_hash(cancel_token)
        )
    )
    db.session.flush()
    return mail.public_url("patient.cancel_reminder", token=cancel_token), send_at


def reminder_for(cancel_token: str) -> DraftReminder | None:
    return db.session.scalar(
        select(DraftReminder).where(DraftReminder.cancel_token_hash == token_hash(cancel_token))
    )


def forget_drafts(draft_ids: list[int]) -> None:
    """Drafts are going (submitted or expired): their links and pending reminders go too."""
    if not draft_ids:
        return
    reminders = select(DraftReminder.outbox_email_id).where(DraftReminder.draft_id.in_(draft_ids))
    db.session.execute(
        delete(OutboxEmail).where(OutboxEmail.id.in_(reminders), OutboxEmail.sent_at.is_(None))
    )
    db.session.execute(delete(DraftReminder).where(DraftReminder.draft_id.in_(draft_ids)))
    db.session.execute(delete(ResumeLink).where(ResumeLink.draft_id.in_(draft_ids)))
    db.session.flush()


# --- The summary link -------------------------------------------------------------------------


def create_summary_link(submission: Submission, now: datetime) -> str:
    """A new link to the patient's summary, valid SUMMARY_LINK_DAYS; returns the token."""
    token = new_token()
    db.session.add(
        SummaryLink(
            submission_id=submission.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=current_app.config["SUMMARY_LINK_DAYS"]),
        )
    )
    db.session.flush()
    return token


def summary_link_url(submission: Submission, now: datetime | None = None) -> str:
    """The address for the confirmation email: the patient's summary, behind their birth date."""
    token = create_summary_link(submission, now or utcnow())
    return mail.public_url("patient.summary_link", token=token)


def summary_link_for(token: str) -> SummaryLink | None:
    return db.session.scalar(select(SummaryLink).where(SummaryLink.token_hash == token_hash(token)))


def summary_link_state(link: SummaryLink | None, now: datetime) -> LinkState:
    if link is None or db.session.get(Submission, link.submission_id) is None:
        return LinkState.UNKNOWN
    if link.failed_attempts >= current_app.config["LINK_MAX_FAILURES"]:
        return LinkState.LOCKED
    if link.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.OPEN


def check_summary_answer(link: SummaryLink, submission: Submission, answer: str) -> bool:
    """Whether the date of birth matches the submission's; a wrong one counts against the link."""
    right = answer_matches(date_of_birth(submission.answers), answer)
    if not right:
        link.failed_attempts += 1
        db.session.flush()
    return right
