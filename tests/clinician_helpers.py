"""What the clinician workspace tests share: documents at each level, a page's text, the
audit rows, a submission's reference."""

from __future__ import annotations

import re

from sqlalchemy import select

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
