"""One class per kind of answer (Indico's survey fields): see base.AnswerType.

Adding a kind of answer: a member of `Kind`, a class here that says `kind = Kind.X`, and a
template `templates/_fields/<kind>.html` with a `field` macro.
"""

from __future__ import annotations

from ..types import Kind, Question
from . import group, scale, simple
from .base import AnswerRow, AnswerType

__all__ = ["AnswerRow", "AnswerType", "answer_type_for", "group", "scale", "simple"]


def answer_type_for(question: Question) -> AnswerType:
    """The answer type object of one question."""
    return AnswerType.registry[Kind(question.kind)](question)
