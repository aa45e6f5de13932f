"""App-wide pieces of the web layer: template helpers and error pages."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from .crypto import UndecryptableError
from .i18n import translate
from .patient.forms import field_name
from .questionnaire.types import Choice
from .questionnaire.words import N_
from .summary import answer_rows

logger = logging.getLogger("screening.errors")
ERROR_TEXT = {
    400: (N_("Something went wrong with that request"), N_("Please go back and try again.")),
    403: (N_("You cannot open this page"), N_("You do not have access to this page.")),
    404: (N_("Page not found"), N_("Check the address, or start from the beginning.")),
    405: (N_("Something went wrong with that request"), N_("Please go back and try again.")),
    413: (
        N_("What you sent is too large"),
        N_("Your answers were too long to send. Please shorten the longest answer and try again."),
    ),
    429: (N_("Too many attempts"), N_("Please wait a few minutes and try again.")),
    500: (
        N_("Sorry, something went wrong"),
        N_("We could not show this page. Your saved answers are safe. Please try again later."),
    ),
    503: (
        N_("This service is unavailable for a moment"),
        N_(
            "We could not reach our records just now, so nothing was shown or changed. "
            "Please try again in a minute."
        ),
    ),
}


def _choice_from_option(option: tuple[int, str]) -> Choice:
    return Choice(str(option[0]), option[1])


def error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    title, message = ERROR_TEXT.get(code, ERROR_TEXT[500 if code >= 500 else 400])
    return render_template(
        "errors/error.html", title=translate(title), message=translate(message)
    ), code


def fhir_questionnaire() -> Response:
    """The questionnaire as a FHIR R4 Questionnaire (no patient data: public)."""
    from .fhir import questionnaire_resource

    resource = questionnaire_resource(current_app.config["FHIR_CANONICAL_URL"])
    return Response(json.dumps(resource, ensure_ascii=False), mimetype="application/fhir+json")


LARGEST_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def refuse_out_of_range_ids() -> None:
    """A number in the path too large to be an id is a page that does not exist (404)."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not -LARGEST_ID - 1 <= value <= LARGEST_ID:
            abort(404)


def cannot_decrypt_page(error: Exception) -> tuple[str, int]:
    """A record none of the configured keys can read: say so; log the route and ids only."""
    ids = {k: v for k, v in (request.view_args or {}).items() if isinstance(v, int)}
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    logger.error("a value on %s %s cannot be decrypted with the configured keys", rule, ids)
    body = render_template(
        "errors/error.html",
        title="This record cannot be read",
        message="It cannot be decrypted with the configured keys. Other records are not "
        "affected. Ask whoever runs this service to check ENCRYPTION_KEYS.",
    )
    return body, 500


def register(app: Flask) -> None:
    """Attach template helpers, error pages and the public FHIR Questionnaire to the app."""
    app.add_url_rule("/fhir/Questionnaire", view_func=fhir_questionnaire)
    app.add_template_global(answer_rows)
    app.add_template_global(field_name)
    app.add_template_filter(_choice_from_option, "choice_from_option")
    app.register_error_handler(HTTPException, error_page)
    app.before_request(refuse_out_of_range_ids)
    app.register_error_handler(UndecryptableError, cannot_decrypt_page)
