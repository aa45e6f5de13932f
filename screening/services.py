"""The writes: save a page, submit. They add and flush; the request commits once."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import delete, select

from . import rules
from .extensions import db
from .models import AuditEvent, Draft, Submission, SubmissionFlag, User
from .questionnaire import QUESTIONNAIRE_VERSION
from .questionnaire.schema import empty_document
from .questionnaire.types import Document

# Read aloud over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """A reference code no submission has yet."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if db.session.scalar(select(Submission.id).where(Submission.reference == code)) is None:
            return code


def start_draft() -> Draft:
    """A new, empty draft with a fresh token for this browser."""
    draft = Draft(token=secrets.token_urlsafe(32), answers=empty_document(), completed_pages=[])
    db.session.add(draft)
    db.session.flush()
    return draft


def draft_for(token: str | None) -> Draft | None:
    """The draft a browser's token points at, if it still exists."""
    if not token:
        return None
    return db.session.scalar(select(Draft).where(Draft.token == token))


def save_page(draft: Draft, page_slug: str, answers: Document) -> None:
    """Store a page's answers (the whole document, hidden answers cleared) and mark it done."""
    draft.answers = answers
    if page_slug not in draft.completed_pages:
        draft.completed_pages = [*draft.completed_pages, page_slug]
    db.session.flush()


def submission_for_key(submit_key: str | None) -> Submission | None:
    """The submission already stored for a draft token, if any."""
    if not submit_key:
        return None
    return db.session.scalar(select(Submission).where(Submission.submit_key == submit_key))


def submit_draft(draft: Draft, as_of: date, thresholds: rules.Thresholds) -> Submission:
    """Turn a complete draft into a submission with its flags and scores; the draft goes."""
    evaluation = rules.evaluate(draft.answers, as_of, thresholds)
    submission = Submission(
        reference=new_reference(),
        submit_key=draft.token,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        rules_version=rules.RULES_VERSION,
        answers=draft.answers,
        flags=[flag.to_dict() for flag in evaluation.flags],
        scores=evaluation.scores,
        highest_level=evaluation.highest_level,
        highest_level_rank=rules.LEVEL_RANK.get(evaluation.highest_level or "", 0),
        flag_rows=[SubmissionFlag(flag_id=f.id, level=f.level) for f in evaluation.flags],
    )
    db.session.add(submission)
    db.session.execute(delete(Draft).where(Draft.id == draft.id))
    db.session.flush()
    return submission


def audit(
    action: str,
    *,
    user: User | None,
    submission_id: int | None = None,
    detail: str | None = None,
    client_address: str | None = None,
    user_email: str | None = None,
) -> AuditEvent:
    """Append one row to the audit log; `detail` must never hold health information."""
    event = AuditEvent(
        action=action,
        user_id=user.id if user else None,
        user_email=user.email if user else user_email,
        submission_id=submission_id,
        detail=detail,
        client_address=client_address,
    )
    db.session.add(event)
    db.session.flush()
    return event
