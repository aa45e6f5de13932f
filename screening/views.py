"""App-wide pieces of the web layer: template helpers and error pages."""

from __future__ import annotations

import json

from flask import Flask, Response, current_app, render_template
from werkzeug.exceptions import HTTPException

from .patient.forms import field_name
from .questionnaire.types import Choice
from .summary import answer_rows

ERROR_TEXT = {
    400: ("Something went wrong with that request", "Please go back and try again."),
    403: ("You cannot open this page", "You do not have access to this page."),
    404: ("Page not found", "Check the address, or start from the beginning."),
    405: ("Something went wrong with that request", "Please go back and try again."),
    413: (
        "What you sent is too large",
        "Your answers were too long to send. Please shorten the longest answer and try again.",
    ),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: (
        "Sorry, something went wrong",
        "We could not show this page. Your saved answers are safe. Please try again later.",
    ),
}


def _choice_from_option(option: tuple[int, str]) -> Choice:
    return Choice(str(option[0]), option[1])


def _error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    title, message = ERROR_TEXT.get(code, ERROR_TEXT[500 if code >= 500 else 400])
    return render_template("errors/error.html", title=title, message=message), code


def fhir_questionnaire() -> Response:
    """The questionnaire as a FHIR R4 Questionnaire (no patient data: public)."""
    from .fhir import questionnaire_resource

    resource = questionnaire_resource(current_app.config["FHIR_CANONICAL_URL"])
    return Response(json.dumps(resource, ensure_ascii=False), mimetype="application/fhir+json")


def register(app: Flask) -> None:
    """Attach template helpers, error pages and the public FHIR Questionnaire to the app."""
    app.add_url_rule("/fhir/Questionnaire", view_func=fhir_questionnaire)
    app.add_template_global(answer_rows)
    app.add_template_global(field_name)
    app.add_template_filter(_choice_from_option, "choice_from_option")
    app.register_error_handler(HTTPException, _error_page)
