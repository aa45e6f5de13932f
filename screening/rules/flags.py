"""Every flag in FLAGS.md table order, and the entry points that run them."""

from __future__ import annotations

from datetime import date

from . import history, practical, safety, treatment
from .base import Context, Evaluation, Flag, Rule
from .levels import LEVEL_RANK
from .scores import scores_for
from .thresholds import Thresholds

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
