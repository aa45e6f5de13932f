"""Who may open what: signed-in clinicians see submissions; only admins export and audit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user, login_required

from .. import services

F = TypeVar("F", bound=Callable[..., Any])


def clinician_required(view: F) -> F:
    """Signed-in staff only (clinician or admin); anyone else goes to the sign-in page."""
    return login_required(view)  # type: ignore[return-value]


def admin_required(view: F) -> F:
    """Signed-in admins only; a clinician gets 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def audit_here(
    action: str,
    submission_id: int | None = None,
    detail: str | None = None,
    *,
    user: Any = None,
    user_email: str | None = None,
) -> None:
    """Audit an action of this request: the signed-in user (or `user`) and the client address."""
    actor = user if user is not None else (current_user if current_user.is_authenticated else None)
    services.audit(
        action,
        user=actor,
        submission_id=submission_id,
        detail=detail,
        client_address=request.remote_addr,
        user_email=user_email,
    )
