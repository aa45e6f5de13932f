"""The clinician side: sign-in, review queue, submissions, visit summary, exports, audit."""

from flask import Blueprint

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

from . import admin, alerts, auth, exports, routes, safety  # noqa: E402, F401  (routes attach themselves to bp)
