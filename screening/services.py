"""The writes: save a page, submit. They add and flush; the request commits once."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from . import crypto, pdf_cache, queue_counts, resume, rules
from .database import LeanSelect
from .extensions import db
from .models import (
    AuditEvent,
    Draft,
    Note,
    ReviewStatus,
    Submission,
    SubmissionFlag,
    SummaryLink,
    User,
)
from .questionnaire import QUESTIONNAIRE_VERSION
from .questionnaire.schema import empty_document
from .questionnaire.types import Document, Page
from .questionnaire.words import document_language, with_language

# Read aloud over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
REFERENCE_LENGTH = 8
REFERENCE_ATTEMPTS = 5  # a new reference code each time; even two clashes in a row are rare


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


# Built once, so SQLAlchemy keeps its cache key too: building the query and its key for each
# page that opens a draft took a quarter of the lookup.
DRAFT_BY_TOKEN = select(Draft).where(Draft.token == bindparam("token"))


def draft_for(token: str | None) -> Draft | None:
    """The draft a browser's token points at, if it still exists."""
    if not token:
        return None
    return db.session.scalar(DRAFT_BY_TOKEN, {"token": token})


class DraftRow(NamedTuple):
    """What a page shown from a draft reads of it: its answers, the pages done, when it
    expires (Draft's columns of the same names)."""

    id: int
    answers: Document
    completed_pages: list[str]
    updated_at: datetime


_DRAFT = Draft.__table__
DRAFT_ROW_BY_TOKEN = LeanSelect(
    select(*(_DRAFT.c[name] for name in DraftRow._fields)).where(
        _DRAFT.c.token == bindparam("token")
    ),
    DraftRow,
)


def draft_row_for(token: str | None) -> DraftRow | None:
    """draft_for's draft as a read-only row of the columns a shown page reads (the answers
    decrypted): with no ORM object or session to set up and tear down (half the cost of
    draft_for), nor a Connection and result (database.LeanSelect: 0.20 ms became 0.13 ms)."""
    if not token:
        return None
    row = DRAFT_ROW_BY_TOKEN.first(db.engine, token=token)
    if row is not None:
        crypto.log_undecryptable_row(_DRAFT, row)
    return row


def record_language(draft: Draft, language: str) -> None:
    """The draft says the language its person last used to save (a page, or the save-for-later
    form), so what is sent from it next (a link by email, the submission) is in that language."""
    if document_language(draft.answers) != language:
        draft.answers = with_language(draft.answers, language)


def save_answers(draft: Draft | None, page: Page, answers: Document) -> Draft:
    """Save a page's answers in the browser's draft (a new one for the first page saved). The
    first time a page that says who the person is is saved, the draft's token changes, so a
    cookie copied before then no longer opens it."""
    if draft is None:
        draft = start_draft()
    first_contact = page.identifies_person and page.slug not in draft.completed_pages
    save_page(draft, page.slug, answers)
    if first_contact:
        resume.rotate_draft_token(draft)
    return draft


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


def store_submission(
    answers: Document,
    as_of: date,
    thresholds: rules.Thresholds,
    *,
    submit_key: str,
    created_at: datetime | None = None,
) -> Submission:
    """A new submission of a valid document, with the flags and scores the rules give it."""
    evaluation = rules.evaluate(answers, as_of, thresholds)
    submission = Submission(
        reference=new_reference(),
        submit_key=submit_key,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        rules_version=rules.RULES_VERSION,
        language=document_language(answers),
        answers=answers,
        flags=[flag.to_dict() for flag in evaluation.flags],
        scores=evaluation.scores,
        highest_level=evaluation.highest_level,
        highest_level_rank=rules.LEVEL_RANK.get(evaluation.highest_level or "", 0),
        flag_rows=[SubmissionFlag(flag_id=f.id, level=f.level) for f in evaluation.flags],
    )
    if created_at is not None:
        submission.created_at = created_at
    db.session.add(submission)
    db.session.flush()
    return submission


def submit_draft(
    draft: Draft, answers: Document, as_of: date, thresholds: rules.Thresholds
) -> tuple[Submission, bool]:
    """Turn a complete draft into a submission of `answers` with its flags and scores; the draft
    goes, and the confirmation email and any alert are written in the same transaction.

    Stored once however often the form arrives: (the submission, True) when this request
    stored it, (the submission, False) when another request stored it a moment earlier. A
    reference code another submission took meanwhile is drawn again.
    """
    from . import alerts

    submit_key = draft.token
    # The draft goes first. Its delete is this transaction's first write, so it takes the write
    # lock before the savepoint below reads anything: on SQLite a transaction that reads first
    # and writes later fails at once ("database is locked") while another request writes.
    resume.forget_drafts([draft.id])  # a pending reminder is cancelled by finishing
    db.session.execute(delete(Draft).where(Draft.id == draft.id))
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with db.session.begin_nested():  # a clash undoes only this insert
                submission = store_submission(answers, as_of, thresholds, submit_key=submit_key)
        except IntegrityError:
            # Either the same form arrived twice at once and the other request stored it,
            # or another submission took the same reference code a moment earlier.
            stored = submission_for_key(submit_key)
            if stored is not None:
                return stored, False
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
            continue
        alerts.on_submitted(submission)
        db.session.flush()
        return submission, True
    raise AssertionError("unreachable: the last attempt returns or raises")


def start_review(submission: Submission) -> bool:
    """Mark a new submission as in review; False when it was not new."""
    if submission.status != ReviewStatus.NEW.value:
        return False
    submission.status = ReviewStatus.IN_REVIEW.value
    db.session.flush()
    return True


def mark_reviewed(submission: Submission, user: User, now: datetime) -> bool:
    """Mark a submission reviewed by `user`; False when it already was."""
    if submission.status == ReviewStatus.REVIEWED.value:
        return False
    submission.status = ReviewStatus.REVIEWED.value
    submission.reviewed_by_id = user.id
    submission.reviewed_at = now
    db.session.flush()
    return True


def add_note(submission: Submission, author: User, body: str) -> Note:
    """Append a note; notes are never edited or removed."""
    note = Note(submission_id=submission.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    return note


def purge_expired(
    now: datetime, draft_ttl_days: int, retention_days: int | None
) -> tuple[int, int]:
    """Delete stale drafts and, when a retention period is set, old reviewed submissions."""
    stale = list(
        db.session.scalars(
            select(Draft.id).where(Draft.updated_at < now - timedelta(days=draft_ttl_days))
        )
    )
    resume.forget_drafts(stale)
    drafts = db.session.execute(delete(Draft).where(Draft.id.in_(stale))).rowcount if stale else 0
    submissions = 0
    if retention_days is not None:
        old = select(Submission.id).where(
            Submission.status == ReviewStatus.REVIEWED.value,
            Submission.created_at < now - timedelta(days=retention_days),
        )
        found = db.session.execute(
            old.add_columns(Submission.status, Submission.highest_level_rank)
        ).all()
        ids = [row[0] for row in found]
        if ids:
            queue_counts.subtract((status, rank) for _, status, rank in found)
            pdf_cache.forget(ids)
            from .models import Alert, ContactAttempt

            db.session.execute(delete(Alert).where(Alert.submission_id.in_(ids)))
            db.session.execute(delete(ContactAttempt).where(ContactAttempt.submission_id.in_(ids)))
            db.session.execute(delete(Note).where(Note.submission_id.in_(ids)))
            db.session.execute(delete(SummaryLink).where(SummaryLink.submission_id.in_(ids)))
            db.session.execute(delete(SubmissionFlag).where(SubmissionFlag.submission_id.in_(ids)))
            submissions = db.session.execute(
                delete(Submission).where(Submission.id.in_(ids))
            ).rowcount
    db.session.flush()
    return drafts, submissions


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
