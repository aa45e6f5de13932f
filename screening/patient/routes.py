"""Questionnaire pages: show, validate, save, move on (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from flask import (
    abort,
    current_app,
    flash,
    get_flashed_messages,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.wrappers import Response

from .. import clinic, services
from ..extensions import db, limiter
from ..i18n import current_language
from ..models import Draft, Submission, utcnow
from ..questionnaire import flow
from ..questionnaire.schema import empty_document
from ..questionnaire.types import Document, Page
from ..questionnaire.validate import clear_hidden, normalize, validate_page
from ..questionnaire.words import with_language
from ..services import DraftRow
from ..summary import summary_context
from ..templating import kept_frame, slot
from . import bp, resume_routes, state
from .forms import (
    ActionForm,
    PageForm,
    PageInput,
    change_rows,
    error_messages,
    field_name,
    from_document,
    page_csrf_token,
    read_form,
    typed_names,
)
from .places import first_page_url, url_for_place
from .question_frames import Answers, render_question

DraftT = TypeVar("DraftT", Draft, DraftRow)


@bp.get("/")
def index() -> Response:
    return redirect(first_page_url())


@bp.get("/questionnaire/<slug>")
def page(slug: str) -> str:
    """One questionnaire page with the answers saved so far."""
    page, _draft, doc = _open_page(slug, state.current_draft_row)
    return _render_page(page, doc, from_document(page, doc))


@bp.post("/questionnaire/<slug>")
def save_page(slug: str) -> Response | tuple[str, int] | str:
    """Save a page's answers and move on; a repeating group's Add and Remove buttons bring the
    page back with every answer kept, unsaved."""
    page, draft, doc = _open_page(slug, state.current_draft)
    page_input = read_form(page, request.form)
    action = request.form.get("action", flow.CONTINUE)
    if (change := flow.row_change(page, action)) is not None:
        return _render_page(page, doc, page_input, focus=change_rows(page_input, change))
    if not PageForm().validate_on_submit():
        flash(_("This page had expired. Please check your answers and continue again."))
        return _render_page(page, doc, page_input), 400
    as_of = utcnow().date()
    # The document records the language the page was answered in (SPANISH.md).
    candidate = clear_hidden(with_language(normalize(page_input.apply(doc)), current_language()))
    if problems := validate_page(page, candidate, as_of):
        return _render_page(page, candidate, page_input, problems, draft=draft), 422
    draft = _save_answers(draft, page, candidate)
    db.session.commit()
    back_to_review = request.form.get("return_to") == flow.REVIEW.slug  # its Edit links
    place = flow.after_save(
        page, candidate, draft.completed_pages, as_of, action=action, back_to_review=back_to_review
    )
    return redirect(url_for_place(place))


def _open_page(
    slug: str, find_draft: Callable[[], DraftT | None]
) -> tuple[Page, DraftT | None, Document]:
    """The page at `slug`, the browser's draft (as `find_draft` gives it: the ORM object to
    save, or a row to show) and its answers. Ends the request instead with a 404, the page
    saying the answers were sent or the draft has gone, or a redirect to the page to answer
    first (flow.instead_of)."""
    page = flow.question_page(slug)
    if page is None:
        abort(404)
    draft = find_draft()
    if draft is None and (explained := resume_routes.no_draft_page()) is not None:
        abort(make_response(explained))  # sent already, or the draft expired or moved
    doc = draft.answers if draft else flow.unanswered()
    completed = draft.completed_pages if draft else []
    started = draft is not None
    if other := flow.instead_of(page, doc, completed, utcnow().date(), started=started):
        abort(redirect(url_for_place(other)))
    return page, draft, doc


def _save_answers(draft: Draft | None, page: Page, answers: Document) -> Draft:
    """Save the page (services.save_answers); this browser holds the draft's token."""
    if draft is None:
        resume_routes.limit_new_drafts()
        session["language"] = current_language()
    token = draft.token if draft else None
    draft = services.save_answers(draft, page, answers)
    if draft.token != token:  # a new draft, or a new token once it says who the person is
        state.attach_draft(draft)
    return draft


def _render_page(
    page: Page,
    doc: dict,
    page_input: PageInput,
    problems: list | None = None,
    focus: str | None = None,
    save_failed: bool = False,
    draft: Draft | None = None,
) -> str:
    step, steps = flow.progress(page, doc)
    previous = flow.previous_page(page, doc)
    # Shown: questions asked given the answers so far, questions the page itself shows or
    # hides, and any question the person typed into (kept even when the draft is unknown).
    typed = typed_names(page_input.raw)
    errors = error_messages(problems or [])
    answers = Answers(page_input.raw)
    questions = Markup("\n").join(
        render_question(q, answers, errors, page_input.rows, focus, typed)
        for q in page.questions
        if q.is_shown(doc) or (q.shown and q.shown.client) or field_name(q.path) in typed
    )
    context = {
        "page": page,
        "save_failed": save_failed,
        "errors": errors,
        "step": step,
        "steps": steps,
        "previous": previous,
        # The page shows only whether it goes back to the review page: that alone, not
        # whatever was sent, names its frame (an arbitrary posted value would fill the store).
        "return_to": flow.REVIEW.slug
        if request.values.get("return_to") == flow.REVIEW.slug
        else None,
        "saved_draft": draft is not None,
        "continue_action": flow.CONTINUE,
        "save_action": flow.SAVE_FOR_LATER,
    }
    if errors or save_failed or not _frame_can_be_kept():
        return render_template("patient/page.html", questions=questions, **context)
    # Everything but the questions and the CSRF token is the same for everyone on this page
    # at this step, in this language: drawn once (templating.kept_frame).
    frame = kept_frame(
        (request.script_root, request.full_path, step, steps, previous, context["return_to"]),
        lambda: render_template(
            "patient/page.html",
            questions=slot("questions"),
            csrf_token=partial(slot, "csrf_token"),
            **context,
        ),
    )
    return frame.fill(questions=questions, csrf_token=page_csrf_token())


# The only query strings a page's frame is kept for: an arbitrary query would fill the store.
KEPT_QUERIES = frozenset({b"", b"return_to=review"})


def _frame_can_be_kept() -> bool:
    """Whether this request's page frame can be the kept one: a usual address, and no flashed
    message to show (base.html shows them; reading them here takes them as it does)."""
    return request.query_string in KEPT_QUERIES and not get_flashed_messages()


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def database_unavailable(error: Exception) -> tuple[str, int]:
    """The database is down: keep every answer on the page and ask to try again (503)."""
    db.session.rollback()
    page = flow.question_page((request.view_args or {}).get("slug", ""))
    if request.method == "POST" and page is not None:
        page_input = read_form(page, request.form)
        doc = page_input.apply(empty_document())
        return _render_page(page, doc, page_input, save_failed=True), 503
    return render_template("patient/try_again.html"), 503


@bp.get("/questionnaire/crisis")
def crisis() -> str:
    """Crisis resources before anything else, a way to ask for a call, then the way back."""
    from .callback import CallbackForm

    return render_template(
        "patient/crisis.html", next_url=crisis_next_url(), callback_form=CallbackForm()
    )


def crisis_next_url() -> str:
    """Where "Continue with the questionnaire" leads from the crisis page."""
    draft = state.current_draft()
    return url_for_place(flow.after_crisis(draft.answers)) if draft else first_page_url()


@bp.get("/questionnaire/review")
def review() -> Response | str:
    """Every answer by section, each with an Edit link, and the one submit button."""
    draft = state.current_draft()
    if draft is None:
        return resume_routes.no_draft_page() or redirect(first_page_url())
    pending = flow.first_incomplete(draft.answers, draft.completed_pages, utcnow().date())
    if pending is not None:
        return redirect(url_for_place(pending))
    return render_template(
        "patient/review.html",
        doc=draft.answers,
        pages=[p for p in flow.visible_pages(draft.answers) if p.reviewable],
        form=ActionForm(),
        step=flow.progress(flow.REVIEW, draft.answers),
    )


@bp.post("/questionnaire/submit")
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"])
def submit() -> Response:
    """Store the submission once, however many times the form arrives."""
    token = session.get("draft")
    if not ActionForm().validate_on_submit():
        flash(_("This page had expired. Please submit your answers again."))
        return redirect(url_for("patient.review"))
    draft = state.current_draft()
    if draft is None:
        # Already submitted (perhaps by a request a moment ago), or never started.
        return _resent(services.submission_for_key(token) or state.sent_submission())
    as_of = utcnow().date()
    # Switched language on the review page: the submission says the one it was sent in.
    answers = flow.as_sent(draft.answers, current_language())
    if not flow.ready_to_submit(answers, draft.completed_pages, as_of):
        flash(_("Some answers need attention before you can submit."))
        return redirect(url_for("patient.review"))
    submission, stored = services.submit_draft(draft, answers, as_of, clinic.thresholds())
    db.session.commit()
    return _show_summary(submission) if stored else _resent(submission)


def _show_summary(submission: Submission) -> Response:
    state.grant_summary(submission, state.summary_grant_until(submission))
    state.mark_sent(submission)
    return redirect(url_for("patient.summary"))


def _resent(submission: Submission | None) -> Response:
    """The same submit form again: a double click moments later sees the summary; an old copy
    of the cookie (the draft token is spent at submit) is not granted it."""
    window = timedelta(seconds=current_app.config["SUBMIT_RESEND_SECONDS"])
    if submission is not None and utcnow() - submission.created_at < window:
        return _show_summary(submission)
    return redirect(first_page_url())


@bp.get("/questionnaire/summary")
def summary() -> str:
    """The confirmation page, only for the browser that submitted (or that answered the
    summary link from the confirmation email), for a limited time."""
    submission = state.granted_summary()
    if submission is None:
        return render_template("patient/summary_gone.html"), 404
    return render_template(
        "patient/confirmation.html", submission=submission, summary=summary_context(submission)
    )
