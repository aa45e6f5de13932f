"""What the clinician workspace tests share: documents at each level, a page's text, the
audit rows, a submission's reference, the queries a request sends."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from sqlalchemy import event, select

from screening.extensions import db
from screening.models import AuditEvent, Submission
from tests.helpers import worked_example


def urgent_doc():
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 2
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    return doc


def high_doc():
    doc = worked_example()
    doc["medical"]["ketamine_allergy"] = "yes"
    return doc


def review_doc():
    doc = worked_example()
    doc["medical"].update(bp_systolic=150, bp_diastolic=85)
    return doc


def audit_rows(app, action=None):
    with app.app_context():
        query = select(AuditEvent)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(db.session.scalars(query))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def references_in(response) -> list[str]:
    return re.findall(r'class="reference-link">([A-Z0-9]{8})<', response.get_data(as_text=True))


def reference_of(app, submission_id: int) -> str:
    with app.app_context():
        return db.session.get(Submission, submission_id).reference


def counts_submissions(statements: list[str]) -> list[str]:
    """The statements among `statements` that count rows of the submission table."""
    return [s for s in statements if "count(" in s.lower() and "submission" in s.lower()]


@contextlib.contextmanager
def recorded_statements(app) -> Iterator[list[str]]:
    """The SQL the app sends to its database meanwhile."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
