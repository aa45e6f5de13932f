"""What a flag is, and the small helpers the flag functions share.

`@flag` gives a finder function the flag's id, sources and patient text; a finder returns what
it found (`Found`: level, words, evidence) or None. Evidence holds only the answers in the
condition of the level the flag reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, NamedTuple

from ..questionnaire.schema import QUESTIONS_BY_PATH
from ..questionnaire.types import get
from .levels import LEVEL_RANK, Level
from .thresholds import Thresholds

RULES_VERSION = "1"


class Evidence(NamedTuple):
    """One answer that triggered a flag: its path (0-based list indexes) and the value given.

    Evidence and flags are named tuples, not frozen dataclasses: as immutable, and made in a
    third of the time (a frozen dataclass sets each field through object.__setattr__), which
    counts when `evaluate` makes about fifteen of them for each of thousands of documents."""

    path: str
    value: Any

    def to_dict(self) -> dict:
        return {"path": self.path, "value": self.value}


class Flag(NamedTuple):
    """Something in the answers for a clinician to look at; it points at answers, never decides."""

    id: str
    level: Level
    title: str
    detail: str
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]
    patient_text: str

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "level": str(self.level),
            "title": self.title,
            "detail": self.detail,
            "evidence": [e.to_dict() for e in self.evidence],
            "sources": list(self.sources),
            "patient_text": self.patient_text,
        }


@dataclass(frozen=True)
class Evaluation:
    """The flags (ordered) and the scores for one answer document."""

    flags: tuple[Flag, ...]
    scores: dict[str, Any]

    @property
    def highest_level(self) -> str | None:
        return max((f.level for f in self.flags), key=LEVEL_RANK.__getitem__, default=None)

    def to_dict(self) -> dict:
        flags = [f.to_dict() for f in self.flags]
        return {"rules_version": RULES_VERSION, "flags": flags, "scores": self.scores}


# --- Helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    as_of: date
    thresholds: Thresholds


class Found(NamedTuple):
    """What a flag function found: the level reached, the words and the triggering answers."""

    level: Level
    title: str
    detail: str
    evidence: list[Evidence]
    more_sources: tuple[str, ...] = ()


Rule = Callable[[dict, Context], Flag | None]
Finder = Callable[[dict, Context], Found | None]


def flag(flag_id: str, sources: tuple[str, ...], patient_text: str) -> Callable[[Finder], Rule]:
    """Makes a flag function return a Flag with this id, these sources and this patient text."""

    def decorate(find: Finder) -> Rule:
        @wraps(find)
        def rule(doc: dict, ctx: Context) -> Flag | None:
            found = find(doc, ctx)
            if found is None:
                return None
            level, title, detail, evidence, more_sources = found
            all_sources = sources + more_sources
            return Flag(flag_id, level, title, detail, tuple(evidence), all_sources, patient_text)

        rule.flag_id = flag_id  # type: ignore[attr-defined]
        return rule

    return decorate


def ev(doc: dict, path: str) -> Evidence:
    return Evidence(path, get(doc, path))


def answers_in(doc: dict, paths: tuple[str, ...], values: Any) -> list[Evidence]:
    """The answers at `paths`, in that order, that are one of `values` (evidence is made only for
    those: most documents raise few flags)."""
    return [Evidence(path, value) for path in paths if (value := get(doc, path)) in values]


def listed(doc: dict, path: str, wanted: Any) -> list[Evidence]:
    """Each item of the list at path that is one of wanted, with its 0-based index."""
    return [Evidence(f"{path}[{i}]", v) for i, v in enumerate(get(doc, path) or []) if v in wanted]


def label_of(path: str, value: Any) -> str:
    """The words the patient saw for an answer, without the examples in brackets."""
    return QUESTIONS_BY_PATH[path].choice_label(value).split(" (")[0]


def said(e: Evidence) -> str:
    """The question's short name and the answer's label, e.g. "Allergy to ketamine: Yes"."""
    path = e.path.split("[")[0]
    return f"{QUESTIONS_BY_PATH[path].short}: {label_of(path, e.value)}"


def all_said(found: list[Evidence]) -> str:
    return "; ".join(map(said, found)) + "."


def answer_in(doc: dict, level: Level, title: str, path: str, values: Any) -> Found | None:
    """Found when the answer at path is one of values."""
    found = answers_in(doc, (path,), values)
    return Found(level, title, f"{said(found[0])}.", found) if found else None


def list_has(doc: dict, level: Level, title: str, path: str, values: Any) -> Found | None:
    """Found when the list at path holds any of values."""
    found = listed(doc, path, values)
    if not found:
        return None
    items = "; ".join(label_of(path, e.value) for e in found)
    return Found(level, title, f"{QUESTIONS_BY_PATH[path].short}: {items}.", found)


def has_reading(doc: dict) -> bool:
    """Validation guarantees both numbers or neither; a reading needs both."""
    return (
        get(doc, "medical.bp_systolic") is not None and get(doc, "medical.bp_diastolic") is not None
    )
