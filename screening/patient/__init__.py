"""The patient side: the questionnaire flow, the crisis page and the confirmation summary."""

from flask import Blueprint

bp = Blueprint("patient", __name__)

from . import callback, routes  # noqa: E402, F401  (routes attach themselves to bp)
