"""Emails are written to the outbox in the caller's transaction; a worker delivers them.

An email is a text template under templates/emails/ that sets its subject at the top:

    {% set subject = "Your questionnaire was received" %}
    Body text ...

Templates get only what the caller passes: never answers, flags, scores or free text. An email
to a patient is written in their language (`language`, the draft's or the submission's): there
is no request to choose it from when the worker sends it, so it is chosen when the row is
written. Staff emails are English.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale

from .extensions import db
from .models import OutboxEmail
from .questionnaire.words import DEFAULT_LANGUAGE


def queue_email(
    recipients: str | Iterable[str],
    template: str,
    language: str = DEFAULT_LANGUAGE,
    **context: Any,
) -> list[OutboxEmail]:
    """Add one outbox row per recipient, rendered from emails/<template>.txt in `language`;
    flush."""
    if isinstance(recipients, str):
        recipients = [recipients]
    with force_locale(language):
        email = current_app.jinja_env.get_template(f"emails/{template}.txt")
        module = email.make_module(context)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    if not subject:
        raise ValueError(f"emails/{template}.txt sets no subject")
    body = str(module).strip() + "\n"
    rows = [
        OutboxEmail(kind=template, recipient=address, subject=subject, body=body)
        for address in dict.fromkeys(recipients)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an email on PUBLIC_BASE_URL: never the request's Host, and it
    works in the worker, outside any request."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
