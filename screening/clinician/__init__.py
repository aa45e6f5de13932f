"""The clinician side: sign-in, review queue, submissions, visit summary, exports, audit."""

from flask import Blueprint

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

from . import accounts_admin, admin, alerts, auth, exports, routes, safety, two_factor, workspace  # noqa: E402, F401
