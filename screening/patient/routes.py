"""Questionnaire pages: show, validate, save, move on (post/redirect/get)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from werkzeug.wrappers import Response

from .. import clinic, resume, services
from ..extensions import db, limiter
from ..models import Draft, Submission, utcnow
from ..questionnaire import flow
from ..questionnaire.schema import (
    CONSENT,
    PAGES,
    PAGES_BY_SLUG,
    REVIEW,
    TREATMENTS,
    empty_document,
)
from ..questionnaire.types import Page
from ..questionnaire.validate import clear_hidden, normalize, validate, validate_page
from ..summary import summary_context
from . import bp, resume_routes, state
from .forms import (
    ActionForm,
    PageForm,
    PageInput,
    add_row,
    error_messages,
    field_name,
    from_document,
    read_form,
    remove_row,
)

TRIALS = TREATMENTS.questions[0]
REFERENCE_ATTEMPTS = 5  # a new reference code each time; even two clashes in a row are rare


def current_draft() -> Draft | None:
    return state.current_draft()


@bp.get("/")
def index() -> Response:
    return redirect(url_for("patient.page", slug=CONSENT.slug))


@bp.route("/questionnaire/<slug>", methods=["GET", "POST"])
def page(slug: str) -> Response | str:
    """One questionnaire page: GET shows it with saved answers, POST saves and moves on."""
    page = PAGES_BY_SLUG.get(slug)
    if page is None or page is REVIEW:
        abort(404)
    draft = current_draft()
    if draft is None and (explained := resume_routes.no_draft_page()) is not None:
        return explained  # sent already, or the draft expired or moved: say so
    if draft is None and page is not CONSENT:
        return redirect(url_for("patient.page", slug=CONSENT.slug))
    doc = draft.answers if draft else clear_hidden(empty_document())
    completed = draft.completed_pages if draft else []
    as_of = utcnow().date()

    if not page.is_shown(doc):
        return redirect(url_for("patient.page", slug=flow.next_page(page, doc).slug))
    pending = flow.first_incomplete(doc, completed, as_of)
    if pending is not None and PAGES.index(pending) < PAGES.index(page):
        return redirect(url_for("patient.page", slug=pending.slug))

    form = PageForm()
    if request.method == "GET":
        return _render_page(page, doc, from_document(page, doc), form)

    page_input = read_form(page, request.form)
    action = request.form.get("action", "continue")
    if action not in ("continue", resume_routes.SAVE_ACTION) and page is TREATMENTS:
        return _change_rows(page, doc, page_input, form, action)
    if not form.validate_on_submit():
        flash("This page had expired. Please check your answers and continue again.")
        return _render_page(page, doc, page_input, form), 400

    candidate = clear_hidden(normalize(page_input.apply(doc)))
    problems = validate_page(page, candidate, as_of)
    if problems:
        return _render_page(page, candidate, page_input, form, problems, draft=draft), 422

    if draft is None:
        resume_routes.limit_new_drafts()
        draft = services.start_draft()
        state.attach_draft(draft)
    first_contact = page.identifies_person and page.slug not in draft.completed_pages
    services.save_page(draft, page.slug, candidate)
    if first_contact:
        # Contact details make the draft worth stealing: a cookie copied before now loses it.
        resume.rotate_draft_token(draft)
        state.attach_draft(draft)
    db.session.commit()
    if action == resume_routes.SAVE_ACTION:
        return redirect(url_for("patient.save_for_later"))
    return redirect(_after_save(page, candidate, draft, as_of))


def _after_save(page: Page, doc: dict, draft: Draft, as_of) -> str:
    if page.crisis_after is not None and page.crisis_after(doc):
        return url_for("patient.crisis")
    if request.form.get("return_to") == "review":
        pending = flow.first_incomplete(doc, draft.completed_pages, as_of)
        target = pending or REVIEW
    else:
        target = flow.next_page(page, doc)
    if target is REVIEW:
        return url_for("patient.review")
    return url_for("patient.page", slug=target.slug)


def _change_rows(page: Page, doc: dict, page_input: PageInput, form: PageForm, action: str):
    """Add or Remove on the medication list: the page comes back with every answer kept."""
    focus = None
    if action == "add-trial":
        add_row(page_input, TRIALS)
        focus = (
            f"{field_name(TRIALS.path)}-{page_input.rows[field_name(TRIALS.path)] - 1}-medication"
        )
    elif action.startswith("remove-trial-") and action.removeprefix("remove-trial-").isdigit():
        remove_row(page_input, TRIALS, int(action.removeprefix("remove-trial-")))
    return _render_page(page, doc, page_input, form, focus=focus)


def _render_page(
    page: Page,
    doc: dict,
    page_input: PageInput,
    form: PageForm,
    problems: list | None = None,
    focus: str | None = None,
    save_failed: bool = False,
    draft: Draft | None = None,
) -> str:
    step, steps = flow.progress(page, doc)
    previous = flow.previous_page(page, doc)
    # Shown: questions asked given the answers so far, questions the page itself shows or
    # hides, and any question the person typed into (kept even when the draft is unknown).
    questions = [
        q
        for q in page.questions
        if q.is_shown(doc) or (q.shown and q.shown.client) or page_input.has_answer(q)
    ]
    return render_template(
        "patient/page.html",
        page=page,
        questions=questions,
        save_failed=save_failed,
        values=page_input.raw,
        rows=page_input.rows,
        errors=error_messages(problems or []),
        form=form,
        step=step,
        steps=steps,
        previous=previous,
        return_to=request.values.get("return_to"),
        focus=focus,
        saved_draft=draft is not None,
    )


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def database_unavailable(error: Exception) -> tuple[str, int]:
    """The database is down: keep every answer on the page and ask to try again (503)."""
    db.session.rollback()
    page = PAGES_BY_SLUG.get((request.view_args or {}).get("slug", ""))
    if request.method == "POST" and page is not None and page is not REVIEW:
        page_input = read_form(page, request.form)
        doc = page_input.apply(empty_document())
        return _render_page(page, doc, page_input, PageForm(), save_failed=True), 503
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
    draft = current_draft()
    if draft is None:
        return url_for("patient.page", slug=CONSENT.slug)
    target = flow.after_crisis(draft.answers)
    return (
        url_for("patient.review") if target is REVIEW else url_for("patient.page", slug=target.slug)
    )


@bp.get("/questionnaire/review")
def review() -> Response | str:
    """Every answer by section, each with an Edit link, and the one submit button."""
    draft = current_draft()
    if draft is None:
        explained = resume_routes.no_draft_page()
        return explained or redirect(url_for("patient.page", slug=CONSENT.slug))
    pending = flow.first_incomplete(draft.answers, draft.completed_pages, utcnow().date())
    if pending is not None:
        return redirect(url_for("patient.page", slug=pending.slug))
    return render_template(
        "patient/review.html",
        doc=draft.answers,
        pages=[p for p in flow.visible_pages(draft.answers) if p.reviewable],
        form=ActionForm(),
        step=flow.progress(REVIEW, draft.answers),
    )


@bp.post("/questionnaire/submit")
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"])
def submit() -> Response:
    """Store the submission once, however many times the form arrives."""
    token = session.get("draft")
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This page had expired. Please submit your answers again.")
        return redirect(url_for("patient.review"))
    draft = current_draft()
    if draft is None:
        # Already submitted (perhaps by a request a moment ago), or never started.
        return _resent(services.submission_for_key(token) or state.sent_submission())
    as_of = utcnow().date()
    if validate(draft.answers, as_of) or flow.first_incomplete(
        draft.answers, draft.completed_pages, as_of
    ):
        flash("Some answers need attention before you can submit.")
        return redirect(url_for("patient.review"))
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            submission = services.submit_draft(draft, as_of, clinic.thresholds())
            db.session.commit()
            return _show_summary(submission)
        except IntegrityError:
            # Either the same form arrived twice at once and the other request stored it,
            # or another submission took the same reference code a moment earlier.
            db.session.rollback()
            submission = services.submission_for_key(token)
            if submission is not None:
                return _resent(submission)
            draft = current_draft()
            if draft is None or attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise RuntimeError("the submission could not be stored")  # the loop returns or raises


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
    return redirect(url_for("patient.page", slug=CONSENT.slug))


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
