"""While the database is unreachable every page answers with the designed 503 page.

The patient blueprint has its own handler (it keeps the answers typed on the page); this one
covers every other page, staff pages included. The session's rollback at the end of a request
can fail too when the server has gone away: that is logged and the session dropped, so it
never turns into the app server's bare "Internal Server Error".
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, g, request
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import ServiceUnavailable

from .extensions import db, login_manager

logger = logging.getLogger("screening.database")
RETRY_AFTER_SECONDS = 30
# What a lost or unreachable database server raises (a full pool waits, then times out).
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def _route() -> str:
    return request.url_rule.rule if request.url_rule else "(no route)"


def _drop_session() -> None:
    """Close the session's connections without a rollback (the server ends the transaction)
    and forget the session, so nothing stays checked out holding locks."""
    # The driver's own error may surface here unwrapped: whatever it is, the session goes.
    with contextlib.suppress(Exception):
        db.session.invalidate()
    db.session.registry.clear()


def rollback_quietly() -> None:
    """Roll the session back; if the server is gone, drop the session instead of raising."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        _drop_session()


def database_unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
    """The designed 503 page, with the route (never the path) in the log."""
    logger.warning("database unavailable on %s: %s", _route(), type(error).__name__)
    rollback_quietly()
    # The page is drawn without looking the user up again (that needs the database too):
    # Flask-Login keeps this request's user in g._login_user.
    g._login_user = login_manager.anonymous_user()
    from .views import error_page

    body, code = error_page(ServiceUnavailable())
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def end_session_safely(exc: BaseException | None) -> None:
    """Close the request's session before Flask-SQLAlchemy does; a failing rollback is logged."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        logger.warning("rollback failed at the end of a request: %s", type(error).__name__)
        _drop_session()


def register(app: Flask) -> None:
    """Attach the 503 handler, and the safe end of each request's session."""
    for error in UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in
    # reverse): Flask-SQLAlchemy then finds no session left to close.
    app.teardown_appcontext(end_session_safely)
