"""The review queue and one submission: read, note, start review, mark reviewed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import clinic, rules, services
from ..extensions import db
from ..models import ReviewStatus, Submission, utcnow
from ..patient.forms import ActionForm
from . import bp
from .access import audit_here, clinician_required
from .forms import LEVEL_LABELS, STATUS_LABELS, NoteForm, QueueFilterForm
from .paging import page_number
from .queue import counts, matching_by_rank, queue_page, queue_query
from .review import submission_context

# Globals, not context: the summary macros are imported without the page's context.
bp.add_app_template_global(LEVEL_LABELS, "LEVEL_LABELS")
bp.add_app_template_global(STATUS_LABELS, "STATUS_LABELS")
bp.add_app_template_global(rules.RULES_VERSION, "RULES_VERSION")
bp.add_app_template_global(rules.Level, "Level")
bp.add_app_template_global(ReviewStatus, "ReviewStatus")


@bp.get("/")
@clinician_required
def queue() -> str:
    """Submissions by urgency, then age; filters and search in the query string."""
    filters = QueueFilterForm(request.args)
    filters.validate()
    totals = counts()
    page = queue_page(
        queue_query(filters),
        page=page_number(),
        # Filtered by status and level alone (or not at all), the length is already counted.
        ranks=matching_by_rank(filters, totals),
        after=_row_id("after"),
        before=_row_id("before"),
    )
    args = {
        key: value
        for key, value in request.args.items()
        if key not in ("page", "after", "before") and value
    }
    return render_template(
        "clinician/queue.html", filters=filters, page=page, counts=totals, args=args
    )


def _row_id(name: str) -> int | None:
    """`after=` or `before=` (the row a "Next page" link continues from, or a "Previous page"
    link goes back from) if it can be a submission id."""
    row_id = request.args.get(name, type=int)
    return row_id if row_id is not None and 1 <= row_id < 2**63 else None


def _submission(submission_id: int) -> Submission:
    return db.get_or_404(Submission, submission_id)


@bp.get("/submissions/<int:submission_id>")
@clinician_required
def submission(submission_id: int) -> str:
    """One submission: flags first, then scores, trials, every answer, the patient's words."""
    item = _submission(submission_id)
    audit_here("view", item.id)
    db.session.commit()
    return _submission_page(item, NoteForm())


def _submission_page(item: Submission, note_form: NoteForm, contact_form=None) -> str:
    from .alerts import blank_contact_form
    from .safety_forms import CloseAlertForm

    return render_template(
        "clinician/submission.html",
        submission=item,
        note_form=note_form,
        contact_form=contact_form or blank_contact_form(),
        close_form=CloseAlertForm(),
        action_form=ActionForm(),
        summary=submission_context(item, clinic.thresholds()),
    )


@bp.post("/submissions/<int:submission_id>/start-review")
@clinician_required
def start_review(submission_id: int) -> Response:
    item = _submission(submission_id)
    if ActionForm().validate_on_submit() and services.start_review(item):
        audit_here("status_in_review", item.id, f"{ReviewStatus.NEW} -> {ReviewStatus.IN_REVIEW}")
        db.session.commit()
        flash("Review started.")
    return redirect(url_for("clinician.submission", submission_id=item.id))


@bp.get("/submissions/<int:submission_id>/reviewed", endpoint="confirm_reviewed")
@clinician_required
def confirm_reviewed(submission_id: int) -> str | Response:
    """The second step of "Mark reviewed": a page that asks, so a stray tap changes nothing."""
    item = _submission(submission_id)
    if item.status == ReviewStatus.REVIEWED:
        return redirect(url_for("clinician.submission", submission_id=item.id))
    return render_template(
        "clinician/confirm_reviewed.html", submission=item, action_form=ActionForm()
    )


@bp.post("/submissions/<int:submission_id>/reviewed")
@clinician_required
def mark_reviewed(submission_id: int) -> Response:
    item = _submission(submission_id)
    previous = item.status
    if ActionForm().validate_on_submit() and services.mark_reviewed(item, current_user, utcnow()):
        audit_here("status_reviewed", item.id, f"{previous} -> {ReviewStatus.REVIEWED}")
        db.session.commit()
        flash("Marked as reviewed.")
    return redirect(url_for("clinician.submission", submission_id=item.id))


@bp.post("/submissions/<int:submission_id>/notes")
@clinician_required
def add_note(submission_id: int) -> Response | tuple[str, int]:
    item = _submission(submission_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _submission_page(item, form), 422
    services.add_note(item, current_user, form.body.data.strip())
    audit_here("note_added", item.id)
    db.session.commit()
    flash("Note added.")
    return redirect(url_for("clinician.submission", submission_id=item.id) + "#notes")
