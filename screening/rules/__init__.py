"""Flags for clinician review and scores (FLAGS.md, rules version 1): pure, no Flask, no database.

The package follows FLAGS.md: the thresholds and their defaults (thresholds.py), what makes a
medication trial adequate (adequacy.py), the scores (scores.py), and the flags in table order
(safety.py, history.py, treatment.py, practical.py), one small function per flag with its
FLAGS.md row in the docstring. `evaluate` is the entry point.
"""

from __future__ import annotations

from datetime import date

from ..questionnaire.types import age_on
from . import history, practical, safety, treatment
from .adequacy import FAILED_OUTCOMES, trial_adequacy
from .base import RULES_VERSION, Context, Evaluation, Evidence, Flag, Rule
from .levels import LEVEL_RANK, LEVELS, Level
from .scores import scores_for
from .thresholds import Thresholds

__all__ = [
    "FAILED_OUTCOMES",
    "FLAG_IDS",
    "LEVELS",
    "LEVEL_RANK",
    "RULES",
    "RULES_VERSION",
    "Evaluation",
    "Evidence",
    "Flag",
    "Level",
    "Thresholds",
    "age_on",
    "evaluate",
    "flags_for",
    "scores_for",
    "trial_adequacy",
]

# Every flag, in FLAGS.md table order.
RULES: tuple[Rule, ...] = safety.RULES + history.RULES + treatment.RULES + practical.RULES
FLAG_IDS: tuple[str, ...] = tuple(rule.flag_id for rule in RULES)  # type: ignore[attr-defined]


def flags_for(doc: dict, as_of: date, thresholds: Thresholds) -> list[Flag]:
    """The flags for a validated document, by level (urgent first) then FLAGS.md table order."""
    ctx = Context(as_of, thresholds)
    found = [flag for rule in RULES if (flag := rule(doc, ctx)) is not None]
    return sorted(found, key=lambda flag: -LEVEL_RANK[flag.level])  # stable: keeps table order


def evaluate(doc: dict, as_of: date, thresholds: Thresholds) -> Evaluation:
    """Flags and scores for one validated canonical answer document."""
    return Evaluation(tuple(flags_for(doc, as_of, thresholds)), scores_for(doc, thresholds))
