"""The crisis page's "Ask the clinic to call you": stored at once, with an urgent alert."""

from __future__ import annotations

import re
import secrets

from flask import current_app, make_response, redirect, render_template, session, url_for
from flask_limiter import RateLimitExceeded, RequestLimit
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TelField, ValidationError
from wtforms.validators import Length, Optional

from .. import alerts
from ..extensions import db, limiter
from ..models import CallbackRequest
from ..questionnaire.words import N_
from . import bp

# The same rule as the questionnaire's contact.phone (questionnaire/validate.py); a test
# checks the two agree.
PHONE_PUNCTUATION = re.compile(r"[\s\-.()\[\]]")
PHONE_MESSAGE = (
    "Enter a phone number of 7 to 20 digits (spaces, dashes, dots, brackets and a leading + "
    "are fine)"
)


def phone_is_valid(value: str) -> bool:
    digits = PHONE_PUNCTUATION.sub("", value).removeprefix("+")
    return digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 20


def _phone(form: FlaskForm, field: StringField) -> None:
    if not (field.data or "").strip():
        raise ValidationError("Enter the phone number the clinic should call")
    if len(field.data) > 40 or not phone_is_valid(field.data.strip()):
        raise ValidationError(PHONE_MESSAGE)


class CallbackForm(FlaskForm):
    # A fresh key each time the form is shown: the same form sent twice stores one request.
    request_key = HiddenField(default=lambda: secrets.token_urlsafe(24))
    # Labels in English, translated where the page shows them (forms.html's `wtf_field`).
    phone = TelField(N_("Phone number"), validators=[_phone], render_kw={"autocomplete": "tel"})
    first_name = StringField(
        N_("First name (optional)"),
        render_kw={"autocomplete": "given-name"},
        validators=[Optional(), Length(max=60, message="Enter at most 60 characters")],
    )


def crisis_page(form: CallbackForm, next_url: str, status: int = 200, limited: bool = False):
    return render_template(
        "patient/crisis.html", next_url=next_url, callback_form=form, limited=limited
    ), status


def _too_many(limit: RequestLimit) -> Response:
    """Over the limit: the crisis page again, resources first, the reason beside the form."""
    from .routes import crisis_next_url

    form = CallbackForm()
    body, _ = crisis_page(form, crisis_next_url(), limited=True)
    return make_response(body, 429)


@bp.errorhandler(RateLimitExceeded)
def _limited(error: RateLimitExceeded) -> Response | tuple[str, int]:
    """The call-back form's own 429 page when it made one; the usual error page otherwise."""
    if error.response is not None:
        return error.response
    from ..views import error_page

    return error_page(error)


@bp.post("/questionnaire/crisis/call-me")
@limiter.limit(lambda: current_app.config["CALLBACK_RATE_LIMIT"], on_breach=_too_many)
def request_callback() -> Response | tuple[str, int]:
    """Store the request and open an urgent alert in one transaction, then confirm."""
    from .routes import crisis_next_url

    form = CallbackForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            form.phone.errors = [*form.phone.errors, "This page had expired. Please send it again"]
        return crisis_page(form, crisis_next_url(), 422)
    phone, first_name = form.phone.data.strip(), (form.first_name.data or "").strip()
    key = form.request_key.data or ""
    if not 16 <= len(key) <= 64:
        key = secrets.token_urlsafe(24)
    callback = _store_once(phone, first_name, key)
    session["callback"] = callback.reference
    return redirect(url_for("patient.callback_sent"))


def _store_once(phone: str, first_name: str, key: str) -> CallbackRequest:
    """The request, stored once per form: the same form sent again (a double click) finds
    the first; sent again with another number (after going back), it is a new request."""
    try:
        callback = alerts.request_callback(phone, first_name, key)
        db.session.commit()
        return callback
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalar(select(CallbackRequest).where(CallbackRequest.request_key == key))
    if existing is not None and existing.phone == phone:
        return existing
    callback = alerts.request_callback(phone, first_name, secrets.token_urlsafe(24))
    db.session.commit()
    return callback


@bp.get("/questionnaire/crisis/call-me")
def callback_sent() -> Response | str:
    """What happens now: honest about when the clinic can call; emergency services first."""
    from .routes import crisis_next_url

    reference = session.get("callback")
    if not reference:
        return redirect(url_for("patient.crisis"))
    return render_template(
        "patient/callback_sent.html", reference=reference, next_url=crisis_next_url()
    )
