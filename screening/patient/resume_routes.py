"""Continue anywhere: save for later with an emailed link, reopen the summary from the
confirmation email, and pages that say what happened instead of silently starting over."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import resume, services
from ..extensions import db
from ..i18n import current_language, draft_language
from ..models import AuditEvent, Draft, Submission, utcnow
from ..questionnaire import flow
from ..questionnaire.types import get
from . import bp, state
from .forms import ActionForm
from .places import first_page_url, url_for_place
from .resume_forms import DateOfBirthForm, LinkEmailForm, SaveForLaterForm

LINK_SENT_TO = "link_sent_to"


def _audit(action: str, submission_id: int | None = None, detail: str | None = None) -> None:
    """A patient-side action in the audit log: the client address, never answers or emails."""
    services.audit(
        action,
        user=None,
        submission_id=submission_id,
        detail=detail,
        client_address=request.remote_addr,
    )


def limit_new_drafts() -> None:
    """Refuse a flood of new drafts from one address (429), not a busy waiting room."""
    if resume.over_limit(current_app.config["DRAFT_RATE_LIMIT"], "draft", _address()):
        abort(429)


def _address() -> str:
    return request.remote_addr or "unknown"


def no_draft_page() -> tuple[str, int] | None:
    """For a browser without a usable draft: the page saying its answers were sent, or that
    its draft expired or moved; None when it simply has not started."""
    status = 409 if request.method == "POST" else 200
    sent = state.sent_submission()
    if sent is not None:
        return render_template(
            "patient/resume_already_sent.html",
            submission=sent,
            summary_open=state.granted_summary() is not None,
            form=ActionForm(),
        ), status
    lost = state.lost_draft()
    if lost is False:
        return None
    return render_template(
        "patient/resume_draft_gone.html",
        expired_draft=lost if isinstance(lost, Draft) else None,
        form=ActionForm(),
    ), status


@bp.post("/questionnaire/new")
def new_questionnaire() -> Response:
    """A deliberate fresh start: nothing of an earlier person stays in this browser."""
    if not ActionForm().validate_on_submit():
        flash(_("This page had expired. Please press “Start a new questionnaire” again."))
        return redirect(first_page_url())
    lost = state.lost_draft()
    if isinstance(lost, Draft):  # expired: it goes now rather than at the next purge
        resume.forget_drafts([lost.id])
        db.session.delete(lost)
        db.session.commit()
    state.forget_everything()
    return redirect(first_page_url())


@bp.route("/questionnaire/save", methods=["GET", "POST"])
def save_for_later() -> Response | tuple[str, int] | str:
    """Where to email a link to the saved answers, and an optional reminder."""
    draft = state.current_draft()
    if draft is None:
        return no_draft_page() or redirect(first_page_url())
    form = SaveForLaterForm()
    if request.method == "GET":
        form.email.data = get(draft.answers, "contact.email") or ""
    elif form.validate_on_submit():
        config = current_app.config
        by_address = resume.over_limit(config["SAVE_LINK_RATE_LIMIT"], "save-link", _address())
        by_draft = resume.over_limit(config["SAVE_LINK_DRAFT_RATE_LIMIT"], "save", str(draft.id))
        if by_address or by_draft:
            abort(429)
        now = utcnow()
        services.record_language(draft, current_language())  # the emails' language
        reminder = None
        if form.remind.data:
            reminder = resume.schedule_reminder(draft, form.email.data, now)
        else:
            resume.cancel_reminder(draft.id)
        resume.send_resume_link(draft, form.email.data, now, reminder)
        _audit("resume_link_sent", detail="with reminder" if form.remind.data else None)
        db.session.commit()
        session[LINK_SENT_TO] = _masked(form.email.data)
        return redirect(url_for("patient.link_sent"))
    else:
        status = 422 if request.method == "POST" else 200
        return _save_page(form, draft), status
    return _save_page(form, draft)


def _save_page(form: SaveForLaterForm, draft: Draft) -> str:
    return render_template(
        "patient/resume_save.html",
        form=form,
        back=_first_page_to_answer(draft),
        expires=resume.draft_expires_at(draft),
        reminder_days=current_app.config["RESUME_REMINDER_DAYS"],
    )


def _masked(address: str) -> str:
    """name@example.org -> n•••@example.org: enough to spot a typing mistake."""
    local, _, domain = address.strip().partition("@")
    return f"{local[:1]}•••@{domain}"


@bp.get("/questionnaire/save/sent")
def link_sent() -> str:
    """The link is on its way: where it went, how long it works, how to carry on now."""
    draft = state.current_draft()
    return render_template(
        "patient/resume_sent.html",
        sent_to=session.get(LINK_SENT_TO),
        back=_first_page_to_answer(draft) if draft else None,
        expires=resume.draft_expires_at(draft) if draft else None,
    )


def _first_page_to_answer(draft: Draft) -> str:
    pending = flow.first_incomplete(draft.answers, draft.completed_pages, utcnow().date())
    return url_for_place(pending or flow.REVIEW)


def _link_refused() -> tuple[str, int]:
    """The one page for a wrong, expired, used, locked or forged link: says what to do,
    and nothing about whether any draft or submission exists."""
    return render_template("patient/resume_link_refused.html"), 404


@bp.route("/questionnaire/continue/<token>", methods=["GET", "POST"])
def continue_draft(token: str) -> Response | tuple[str, int] | str:
    """An emailed link to continue: the date of birth (or the email address) first."""
    now = utcnow()
    link = resume.resume_link_for(token)
    if resume.resume_link_state(link, now) is not resume.LinkState.OPEN:
        return _link_refused()
    draft = db.session.get(Draft, link.draft_id)
    question = resume.question_for(draft)
    form = DateOfBirthForm() if question is resume.Question.DATE_OF_BIRTH else LinkEmailForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("patient/resume_question.html", form=form, action="continue"), status
    _limit_guesses(link.token_hash)
    answer = (
        form.date_of_birth.data.isoformat()
        if question is resume.Question.DATE_OF_BIRTH
        else form.email.data
    )
    if not resume.check_resume_answer(link, draft, answer):
        return _wrong_answer(form, link.failed_attempts, "continue", "resume_answer_wrong")
    token_for_browser = resume.use_resume_link(link, draft, now)
    _audit("resume_link_used")
    db.session.commit()
    state.forget_everything()
    session.permanent = True
    session[state.DRAFT] = token_for_browser
    # The draft's language, as the locale selector would find it, is kept as this browser's
    # (unless it chose one): else every page would read the draft once more to find it.
    session.setdefault("language", draft_language(draft.answers))
    flash(_("Welcome back. Your saved answers are here."))
    return redirect(_first_page_to_answer(draft))


def _limit_guesses(link_key: str) -> None:
    limit = current_app.config["LINK_RATE_LIMIT"]
    by_address = resume.over_limit(limit, "link-answer", _address())
    by_link = resume.over_limit(limit, "link-answer-link", link_key)
    if by_address or by_link:
        abort(429)


def _wrong_answer(
    form: FlaskForm,
    failures: int,
    action: str,
    audit_action: str,
    submission_id: int | None = None,
) -> tuple[str, int]:
    """Count a wrong answer; at the limit the link locks and shows the refused page."""
    left = current_app.config["LINK_MAX_FAILURES"] - failures
    if left <= 0:
        _audit(audit_action.replace("answer_wrong", "link_locked"), submission_id)
        db.session.commit()
        return _link_refused()
    _audit(audit_action, submission_id)
    db.session.commit()
    field = next(f for f in form if f.name != "csrf_token")
    field.errors = [
        ngettext(
            "This does not match what we have. You can try %(num)d more time.",
            "This does not match what we have. You can try %(num)d more times.",
            left,
        )
    ]
    return render_template("patient/resume_question.html", form=form, action=action), 422


@bp.route("/questionnaire/summary/<token>", methods=["GET", "POST"])
def summary_link(token: str) -> Response | tuple[str, int] | str:
    """The summary link of the confirmation email: the date of birth, then the summary."""
    now = utcnow()
    link = resume.summary_link_for(token)
    if resume.summary_link_state(link, now) is not resume.LinkState.OPEN:
        return _link_refused()
    submission = db.session.get(Submission, link.submission_id)
    form = DateOfBirthForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("patient/resume_question.html", form=form, action="summary"), status
    _limit_guesses(link.token_hash)
    if not resume.check_summary_answer(link, submission, form.date_of_birth.data.isoformat()):
        return _wrong_answer(
            form, link.failed_attempts, "summary", "summary_answer_wrong", submission.id
        )
    _audit("patient_opened_summary", submission.id)
    db.session.commit()
    hours = current_app.config["SUMMARY_ACCESS_HOURS"]
    state.grant_summary(submission, min(link.expires_at, now + timedelta(hours=hours)))
    return redirect(url_for("patient.summary"))


@bp.app_template_global()
def patient_summary_openings(submission_id: int) -> list[datetime]:
    """When the patient opened their summary by its emailed link (for the clinician's page)."""
    return list(
        db.session.scalars(
            select(AuditEvent.at)
            .where(
                AuditEvent.submission_id == submission_id,
                AuditEvent.action == "patient_opened_summary",
            )
            .order_by(AuditEvent.at)
        )
    )


@bp.route("/questionnaire/reminder/<token>", methods=["GET", "POST"])
def cancel_reminder(token: str) -> tuple[str, int] | str:
    """The link in a reminder email: a button to cancel it (a GET changes nothing)."""
    reminder = resume.reminder_for(token)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        if reminder is not None:
            resume.cancel_reminder(reminder.draft_id)
            _audit("reminder_cancelled")
            db.session.commit()
        return render_template("patient/resume_reminder.html", cancelled=True, form=form)
    if reminder is None:
        return render_template("patient/resume_reminder.html", cancelled=True, form=form)
    return render_template("patient/resume_reminder.html", cancelled=False, form=form)
