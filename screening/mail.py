"""Emails are written to the outbox in the caller's transaction; a worker delivers them.

An email is a text template under templates/emails/ that sets its subject at the top:

    {% set subject = "Your questionnaire was received" %}
    Body text ...

Templates get only what the caller passes: never answers, flags, scores or free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from .extensions import db
from .models import OutboxEmail


def queue_email(
    recipients: str | Iterable[str], template: str, **context: Any
) -> list[OutboxEmail]:
    """Add one outbox row per recipient, rendered from emails/<template>.txt; flush."""
    if isinstance(recipients, str):
        recipients = [recipients]
    module = current_app.jinja_env.get_template(f"emails/{template}.txt").make_module(context)
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
