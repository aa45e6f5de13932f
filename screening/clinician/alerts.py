"""Alerts, callback requests and contact attempts on the clinician side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from .. import alerts
from ..extensions import db
from ..models import (
    ALERT_LEVELS,
    Alert,
    AlertState,
    CallbackRequest,
    ContactAttempt,
    ContactOutcome,
    Submission,
    utcnow,
)
from ..patient.forms import ActionForm
from . import bp
from .access import audit_here, clinician_required
from .auth import local_target
from .safety_forms import (
    METHOD_LABELS,
    OUTCOME_LABELS,
    AlertEmailsForm,
    CloseAlertForm,
    ContactForm,
)
from .workspace import clinic_zone

CLOSED_SHOWN_DAYS = 7
STATE_ORDER = case(
    (Alert.state == AlertState.OPEN.value, 0),
    (Alert.state == AlertState.ACKNOWLEDGED.value, 1),
    else_=2,
)


def duration(value: timedelta | None) -> str:
    """ "3 min", "2 h 5 min", "3 d 4 h": how long something has waited."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


bp.add_app_template_filter(duration, "duration")
bp.add_app_template_global(METHOD_LABELS, "METHOD_LABELS")
bp.add_app_template_global(OUTCOME_LABELS, "OUTCOME_LABELS")
bp.add_app_template_global(utcnow, "now_utc")


def alerts_of(*, submission_id: int | None = None, callback_id: int | None = None) -> list[Alert]:
    subject = (
        Alert.submission_id == submission_id
        if submission_id is not None
        else Alert.callback_request_id == callback_id
    )
    return list(db.session.scalars(select(Alert).where(subject).order_by(Alert.id)))


def contacts_of(
    *, submission_id: int | None = None, callback_id: int | None = None
) -> list[ContactAttempt]:
    subject = (
        ContactAttempt.submission_id == submission_id
        if submission_id is not None
        else ContactAttempt.callback_request_id == callback_id
    )
    return list(
        db.session.scalars(
            select(ContactAttempt).where(subject).order_by(ContactAttempt.at, ContactAttempt.id)
        )
    )


def reached_ids(items: list[Submission]) -> set[int]:
    """Which of these submissions (urgent and high ones only) have a reached contact: one
    query for the queue's page."""
    ids = [item.id for item in items if item.highest_level in ALERT_LEVELS]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(ContactAttempt.submission_id).where(
                ContactAttempt.submission_id.in_(ids),
                ContactAttempt.outcome == ContactOutcome.REACHED.value,
            )
        )
    )


def waiting_callbacks() -> list[Alert]:
    """Call-back requests whose alert is not closed, oldest first: the queue shows them on top,
    questionnaire finished or not."""
    return list(
        db.session.scalars(
            select(Alert)
            .where(Alert.callback_request_id.is_not(None), Alert.state != AlertState.CLOSED.value)
            .order_by(Alert.created_at)
        )
    )


@bp.app_context_processor
def _safety_panel() -> dict[str, object]:
    """The submission page's alert and contact panel and the queue read these."""
    return {
        "alerts_of": alerts_of,
        "contacts_of": contacts_of,
        "alert_reached": alerts.reached,
        "reached_ids": reached_ids,
        "waiting_callbacks": waiting_callbacks,
    }


@bp.get("/alerts", endpoint="alerts")
@clinician_required
def alerts_page() -> str:
    """Open alerts first (longest waiting first), then acknowledged, then recently closed."""
    now = utcnow()
    shown = (
        select(Alert)
        .where(
            (Alert.state != AlertState.CLOSED.value)
            | (Alert.closed_at >= now - timedelta(days=CLOSED_SHOWN_DAYS))
        )
        .order_by(STATE_ORDER, Alert.created_at, Alert.id)
    )
    items = list(db.session.scalars(shown))
    return render_template(
        "clinician/alerts.html",
        items=items,
        now=now,
        action_form=ActionForm(),
        close_form=CloseAlertForm(),
        emails_form=AlertEmailsForm(alert_emails=current_user.alert_emails),
        closed_days=CLOSED_SHOWN_DAYS,
    )


def _back(alert: Alert) -> str:
    return local_target(request.form.get("next")) or url_for("clinician.alerts") + (
        f"#alert-{alert.id}"
    )


@bp.post("/alerts/<int:alert_id>/acknowledge")
@clinician_required
def acknowledge_alert(alert_id: int) -> Response:
    alert = db.get_or_404(Alert, alert_id)
    if ActionForm().validate_on_submit():
        if alerts.acknowledge(alert, current_user, utcnow()):
            audit_here("alert_acknowledged", alert.submission_id, f"alert {alert.id}")
            db.session.commit()
            flash(f"Alert {alert.reference} acknowledged: it is yours.")
        else:
            who = alert.acknowledged_by.email if alert.acknowledged_by else "someone"
            flash(f"Alert {alert.reference} was already acknowledged by {who}.")
    return redirect(_back(alert))


@bp.post("/alerts/<int:alert_id>/close")
@clinician_required
def close_alert(alert_id: int) -> Response:
    alert = db.get_or_404(Alert, alert_id)
    form = CloseAlertForm()
    if form.validate_on_submit():
        try:
            closed = alerts.close(alert, current_user, utcnow(), form.reason.data)
        except ValueError:
            flash(
                f"Alert {alert.reference} stays open: record a contact that reached the person, "
                "or write why you are closing it."
            )
            return redirect(_back(alert))
        if closed:
            audit_here("alert_closed", alert.submission_id, f"alert {alert.id}")
            db.session.commit()
            flash(f"Alert {alert.reference} closed.")
    return redirect(_back(alert))


@bp.post("/alerts/emails")
@clinician_required
def alert_emails() -> Response:
    form = AlertEmailsForm()
    if form.validate_on_submit():
        current_user.alert_emails = bool(form.alert_emails.data)
        audit_here("alert_emails_on" if form.alert_emails.data else "alert_emails_off")
        db.session.commit()
        flash(
            "You will get an email for each new alert."
            if form.alert_emails.data
            else "You will no longer get alert emails."
        )
    return redirect(url_for("clinician.alerts"))


@bp.get("/callbacks/<int:callback_id>")
@clinician_required
def callback_request(callback_id: int) -> str:
    """A crisis-page callback request: the number to call, its alert and contact attempts."""
    callback = db.get_or_404(CallbackRequest, callback_id)
    audit_here("callback_viewed", detail=f"callback {callback.id}")
    db.session.commit()
    return _callback_page(callback, blank_contact_form())


def _callback_page(callback: CallbackRequest, contact_form: ContactForm) -> str:
    return render_template(
        "clinician/callback.html",
        callback=callback,
        contact_form=contact_form,
        action_form=ActionForm(),
        close_form=CloseAlertForm(),
    )


def _now_minute() -> datetime:
    """Now, to the minute, as the clinic's wall clock reads it (the form's default)."""
    return utcnow().astimezone(clinic_zone()).replace(second=0, microsecond=0, tzinfo=None)


def _record(form: ContactForm, **subject: int) -> ContactAttempt:
    # Staff type the clinic's wall-clock time (CLINIC_TIMEZONE); it is stored in UTC.
    at = form.at.data.replace(tzinfo=clinic_zone()).astimezone(UTC)
    attempt = ContactAttempt(
        author_id=current_user.id,
        at=at,
        method=form.method.data,
        outcome=form.outcome.data,
        note=(form.note.data or "").strip() or None,
        **subject,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


@bp.post("/submissions/<int:submission_id>/contacts")
@clinician_required
def add_contact(submission_id: int) -> Response | tuple[str, int]:
    item = db.get_or_404(Submission, submission_id)
    form = ContactForm()
    if not form.validate_on_submit():
        from .forms import NoteForm
        from .routes import _submission_page

        return _submission_page(item, NoteForm(formdata=None), contact_form=form), 422
    attempt = _record(form, submission_id=item.id)
    audit_here("contact_recorded", item.id, f"{attempt.method}: {attempt.outcome}")
    db.session.commit()
    flash("Contact attempt recorded.")
    return redirect(url_for("clinician.submission", submission_id=item.id) + "#contacts")


@bp.post("/callbacks/<int:callback_id>/contacts")
@clinician_required
def add_callback_contact(callback_id: int) -> Response | tuple[str, int]:
    callback = db.get_or_404(CallbackRequest, callback_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _callback_page(callback, form), 422
    attempt = _record(form, callback_request_id=callback.id)
    audit_here("contact_recorded", detail=f"callback {callback.id}: {attempt.outcome}")
    db.session.commit()
    flash("Contact attempt recorded.")
    return redirect(url_for("clinician.callback_request", callback_id=callback.id) + "#contacts")


def blank_contact_form() -> ContactForm:
    return ContactForm(formdata=None, at=_now_minute())
