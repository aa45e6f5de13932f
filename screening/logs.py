"""One structured line per request: method, route, status, duration. Nothing else.

The route is the URL rule ("/clinician/submissions/<int:submission_id>"), never the path or
query string, so no reference code, email or answer can reach the log.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from typing import Any

from flask import Flask, Response, g, request

logger = logging.getLogger("screening.requests")


class JsonLines(logging.Formatter):
    """Each record as one JSON object: time, level, logger, and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            **getattr(record, "fields", {"message": record.getMessage()}),
        }
        return json.dumps(line)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = g.pop("request_started", None)
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    fields = {
        "method": request.method,
        "route": _route(),
        "status": response.status_code,
        "duration_ms": duration_ms,
    }
    logger.info("request", extra={"fields": fields})
    return response


def _route() -> str:
    return request.url_rule.rule if request.url_rule else "(no route)"


def log_exception(app: Flask, exc_info: Any) -> None:
    """Flask's unhandled-error line, naming the route instead of the path and query string."""
    app.logger.error("Exception on %s [%s]", _route(), request.method, exc_info=exc_info)


def register(app: Flask) -> None:
    """Log every request as one JSON line on standard error."""
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = True
    # The development server's own access log prints paths and query strings: ours replaces it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # Flask's own line is "Exception on <path> [GET]": the path may hold a reference code.
    app.log_exception = functools.partial(log_exception, app)  # type: ignore[method-assign]
    app.before_request(_start_timer)
    app.after_request(_log_request)
