"""Flags for clinician review and scores (FLAGS.md, rules version 1): pure, no Flask, no database.

The package follows FLAGS.md: the thresholds and their defaults (thresholds.py), what makes a
medication trial adequate (adequacy.py), the scores (scores.py), and the flags in table order
(safety.py, history.py, treatment.py, practical.py, gathered in flags.py), one small function
per flag with its FLAGS.md row in the docstring. `evaluate` is the entry point.

The questionnaire definition reads the threshold defaults (a choice label names one), so this
module loads the flags, which read the definition, only when first asked for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..questionnaire.types import age_on
from .adequacy import FAILED_OUTCOMES, trial_adequacy
from .levels import LEVEL_RANK, LEVELS, Level
from .scores import scores_for
from .thresholds import Thresholds

_LATER = {
    "RULES": "flags",
    "FLAG_IDS": "flags",
    "flags_for": "flags",
    "evaluate": "flags",
    "RULES_VERSION": "base",
    "Evaluation": "base",
    "Evidence": "base",
    "Flag": "base",
}

__all__ = [
    "FAILED_OUTCOMES",
    "LEVELS",
    "LEVEL_RANK",
    "Level",
    "Thresholds",
    "age_on",
    "scores_for",
    "trial_adequacy",
    *_LATER,
]


def __getattr__(name: str) -> Any:
    if name in _LATER:
        value = getattr(import_module(f".{_LATER[name]}", __name__), name)
        globals()[name] = value  # found once: `rules.evaluate` is called for every document
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
