"""The submit service stores a draft once: a reference code taken meanwhile is drawn again, and
a draft another request already submitted gives that submission back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from screening import rules, services
from screening.extensions import db
from screening.models import Draft, Submission
from tests.helpers import worked_example

AS_OF = datetime.now(UTC).date()


def stored_submissions() -> int:
    return db.session.scalar(select(func.count(Submission.id)))


def complete_draft() -> Draft:
    draft = services.start_draft()
    draft.answers = worked_example()
    db.session.flush()
    return draft


def submit(app, draft: Draft):
    thresholds = rules.Thresholds.from_config(app.config)
    return services.submit_draft(draft, draft.answers, AS_OF, thresholds)


def test_a_reference_code_taken_meanwhile_is_drawn_again(app, monkeypatch):
    with app.app_context():
        first, stored = submit(app, complete_draft())
        db.session.commit()
        assert stored
        # The next code drawn is the one just taken, as when another request takes it between
        # the check and the insert; the one after is free.
        codes = iter([first.reference, "TTTTTTTT"])
        monkeypatch.setattr(services, "new_reference", lambda: next(codes))
        draft = complete_draft()
        draft_id = draft.id
        submission, stored = submit(app, draft)
        db.session.commit()
        assert stored
        assert submission.reference == "TTTTTTTT"
        assert stored_submissions() == 2
        assert db.session.get(Draft, draft_id) is None


def test_codes_taken_every_time_end_in_an_error_and_store_nothing(app, monkeypatch):
    with app.app_context():
        first, _stored = submit(app, complete_draft())
        db.session.commit()
        monkeypatch.setattr(services, "new_reference", lambda: first.reference)
        draft = complete_draft()
        db.session.commit()
        with pytest.raises(IntegrityError):
            submit(app, draft)
        db.session.rollback()
        assert stored_submissions() == 1
        assert db.session.get(Draft, draft.id) is not None


def test_a_draft_submitted_by_another_request_gives_back_that_submission(app):
    with app.app_context():
        draft = complete_draft()
        db.session.commit()
        thresholds = rules.Thresholds.from_config(app.config)
        # The other request stored it a moment ago.
        other = services.store_submission(draft.answers, AS_OF, thresholds, submit_key=draft.token)
        db.session.commit()
        submission, stored = submit(app, draft)
        db.session.commit()
        assert not stored
        assert submission.id == other.id
        assert stored_submissions() == 1
