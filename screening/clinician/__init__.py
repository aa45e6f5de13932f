"""The clinician side: sign-in, review queue, submissions, visit summary, exports, audit."""

from flask import Blueprint

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

from . import admin, auth, exports, routes, two_factor  # noqa: E402, F401  (routes attach to bp)
