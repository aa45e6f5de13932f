"""Fill a database fast: many submissions for the queue, and a clinician to sign in with
(password and authenticator code, as production asks).

store_submission evaluates, encrypts and looks up a fresh reference for every row, which is
right for one submission and far too slow for 100,000. Here each demo document is evaluated
and encrypted once, with the app's own column type, and the rows are inserted in batches
with SQLAlchemy Core, the encrypted values passed through as the text they are stored as.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import JSON, Integer, String, Text, column, func, insert, select, table, text

from screening import rules, twofactor
from screening.accounts import create_user
from screening.crypto import Encrypted
from screening.demo import demo_documents
from screening.extensions import db
from screening.models import ReviewStatus, UTCDateTime
from screening.questionnaire import QUESTIONNAIRE_VERSION
from screening.queue_counts import recount
from screening.services import REFERENCE_ALPHABET, REFERENCE_LENGTH

BATCH = 5_000
CLINICIAN_EMAIL = "bench.clinician@example.org"
CLINICIAN_PASSWORD = "bench-only password, never deployed"
# Like a clinic's queue some months in: most reviewed, some in review, a fifth new.
STATUS_CYCLE = (
    *[ReviewStatus.REVIEWED.value] * 7,
    ReviewStatus.IN_REVIEW.value,
    *[ReviewStatus.NEW.value] * 2,
)

SUBMISSION = table(
    "submission",
    column("id", Integer),
    column("reference", String),
    column("submit_key", String),
    column("created_at", UTCDateTime()),
    column("questionnaire_version", Integer),
    column("rules_version", String),
    column("answers", Text),  # already encrypted
    column("flags", Text),  # already encrypted
    column("scores", JSON),
    column("highest_level", String),
    column("highest_level_rank", Integer),
    column("status", String),
)
SUBMISSION_FLAG = table(
    "submission_flag",
    column("submission_id", Integer),
    column("flag_id", String),
    column("level", String),
)


@dataclass(frozen=True)
class _Template:
    """One demo document as stored: encrypted answers and flags, scores, levels."""

    answers: str
    flags: str
    scores: dict[str, Any]
    highest_level: str | None
    flag_rows: tuple[tuple[str, str], ...]


def _templates(as_of: date, thresholds: rules.Thresholds) -> list[_Template]:
    encrypted = Encrypted()
    templates = []
    for doc in demo_documents(as_of):
        evaluation = rules.evaluate(doc, as_of, thresholds)
        flags = [flag.to_dict() for flag in evaluation.flags]
        templates.append(
            _Template(
                answers=encrypted.process_bind_param(doc, None),
                flags=encrypted.process_bind_param(flags, None),
                scores=evaluation.scores,
                highest_level=evaluation.highest_level,
                flag_rows=tuple((flag.id, flag.level) for flag in evaluation.flags),
            )
        )
    return templates


def reference_for(index: int) -> str:
    """A distinct reference code for each index (base 23 in the app's alphabet)."""
    digits = []
    for _ in range(REFERENCE_LENGTH):
        index, digit = divmod(index, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "".join(digits)


def seed_submissions(app: Flask, count: int) -> float:
    """Insert `count` submissions spread over the last 90 days; returns the seconds taken."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    with app.app_context():
        templates = _templates(now.date(), rules.Thresholds.from_config(app.config))
        step = timedelta(days=90) / max(count, 1)
        # Ids given here, so the flag rows need no round trip; nothing else writes meanwhile.
        last_id = db.session.scalar(select(func.max(SUBMISSION.c.id))) or 0
        copy = db.engine.dialect.name == "postgresql"
        for first in range(0, count, BATCH):
            indexes = range(first, min(first + BATCH, count))
            chosen = [templates[i % len(templates)] for i in indexes]
            rows = [
                {
                    "id": last_id + 1 + i,
                    "reference": reference_for(last_id + i),
                    "submit_key": f"bench-{last_id + i}",
                    "created_at": now - timedelta(days=90) + step * i,
                    "questionnaire_version": QUESTIONNAIRE_VERSION,
                    "rules_version": rules.RULES_VERSION,
                    "answers": template.answers,
                    "flags": template.flags,
                    "scores": template.scores,
                    "highest_level": template.highest_level,
                    "highest_level_rank": rules.LEVEL_RANK.get(template.highest_level or "", 0),
                    "status": STATUS_CYCLE[i % len(STATUS_CYCLE)],
                }
                for i, template in zip(indexes, chosen, strict=True)
            ]
            flag_rows = [
                {"submission_id": row["id"], "flag_id": flag_id, "level": level}
                for row, template in zip(rows, chosen, strict=True)
                for flag_id, level in template.flag_rows
            ]
            if copy:
                _copy(SUBMISSION, rows)
                _copy(SUBMISSION_FLAG, flag_rows)
            else:
                db.session.execute(insert(SUBMISSION), rows)
                if flag_rows:
                    db.session.execute(insert(SUBMISSION_FLAG), flag_rows)
            db.session.commit()
        # Rows went in around the app: its queue counts are rebuilt from them.
        recount(db.session.connection())
        db.session.commit()
        if copy:
            _settle_postgresql()
    return time.perf_counter() - started


def _copy(target: Any, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: the fastest way in for a million rows."""
    if not rows:
        return
    names = list(rows[0])
    raw = db.session.connection().connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {target.name} ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n == "scores" else row[n] for n in names])


def _settle_postgresql() -> None:
    """What a live server would have done by now: the id sequence past the ids given here,
    and the statistics and visibility map that autovacuum keeps."""
    db.session.execute(
        text("SELECT setval(pg_get_serial_sequence('submission', 'id'), max(id)) FROM submission")
    )
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE submission, submission_flag"))


def seed_clinician(app: Flask) -> tuple[str, str, str]:
    """A clinician account with two-factor sign-in set up; returns its email, password and
    authenticator secret (no code used yet)."""
    secret = twofactor.new_secret()
    with app.app_context():
        twofactor.enable(create_user(CLINICIAN_EMAIL, CLINICIAN_PASSWORD), secret, step=0)
        db.session.commit()
    return CLINICIAN_EMAIL, CLINICIAN_PASSWORD, secret
