"""What this browser holds in its session: its draft, what it sent, its summary grant."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, session

from .. import resume, services
from ..extensions import db
from ..models import Draft, Submission, utcnow

DRAFT = "draft"
SENT = "sent"
SUMMARY = "summary"


def current_draft() -> Draft | None:
    """The browser's draft, unless it is gone or older than DRAFT_TTL_DAYS."""
    draft = services.draft_for(session.get(DRAFT))
    return None if draft is None or resume.is_expired(draft, utcnow()) else draft


def current_draft_row() -> services.DraftRow | None:
    """current_draft() as a read-only row of its columns (services.draft_row_for), for a page
    that only shows the answers."""
    draft = services.draft_row_for(session.get(DRAFT))
    return None if draft is None or resume.is_expired(draft, utcnow()) else draft


def lost_draft() -> Draft | bool:
    """The browser had a draft it can no longer use: the expired draft, True when it is gone
    (deleted, or moved to another browser by an emailed link), False when there was none."""
    token = session.get(DRAFT)
    if not token:
        return False
    draft = services.draft_for(token)
    if draft is None:
        return True
    return draft if resume.is_expired(draft, utcnow()) else False


def attach_draft(draft: Draft) -> None:
    """This browser now holds the draft (and no longer shows an earlier submission)."""
    session.permanent = True
    session[DRAFT] = draft.token
    session.pop(SENT, None)


def mark_sent(submission: Submission) -> None:
    """The browser sent its answers: its pages now say so instead of starting over."""
    session.pop(DRAFT, None)
    session.permanent = True
    session[SENT] = {"id": submission.id}


def sent_submission() -> Submission | None:
    """The submission this browser sent, if its pages should say so."""
    sent = session.get(SENT) or {}
    return db.session.get(Submission, sent["id"]) if isinstance(sent.get("id"), int) else None


def grant_summary(submission: Submission, until: datetime) -> None:
    """This browser may open the submission's summary until `until`."""
    session[SUMMARY] = {"id": submission.id, "until": until.isoformat()}


def granted_summary() -> Submission | None:
    """The submission whose summary this browser may open now, if any."""
    grant = session.get(SUMMARY) or {}
    try:
        if datetime.fromisoformat(grant.get("until", "")) < utcnow():
            return None
    except (TypeError, ValueError):
        return None
    return db.session.get(Submission, grant["id"]) if isinstance(grant.get("id"), int) else None


def summary_grant_until(submission: Submission) -> datetime:
    """How long the submitting browser may reopen its summary."""
    return submission.created_at + timedelta(hours=current_app.config["SUMMARY_ACCESS_HOURS"])


def forget_everything() -> None:
    """A deliberate new questionnaire: nothing of the previous person stays in this browser."""
    for key in (DRAFT, SENT, SUMMARY):
        session.pop(key, None)
