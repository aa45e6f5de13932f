"""When a question or page is asked, as data: one rule that the pages, the validator, the page
script and the FHIR export all read (no second copy of a rule anywhere).

A condition is a tuple of clauses, any of which shows the question. A clause names an answer
path and one test:
- `{"path": p, "in": [v, ...]}`: the answer is one of the values (for a list answer: it holds
  one of them);
- `{"path": p, "not_in": [v, ...]}`: the answer is none of the values (unanswered counts);
- `{"path": p, "answered": True}`: the question has an answer;
- `{"path": p, "item": i, "at_least": n}`: item i of a scale was scored n or more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

Clause = dict[str, Any]
Test = Callable[[dict[str, Any]], bool]


def value_at(path: str) -> Callable[[Any], Any]:
    """A function giving the value at a dotted path, or None when any part is missing or not an
    object (how a document is read by path: conditions keep theirs; `types.get` reads a
    section's answer as `answer` below does, without a call, and other paths by one of these)."""
    parts = tuple(path.split("."))
    if len(parts) == 2:  # a section's answer: almost every path, read without a loop
        section, key = parts

        def answer(doc: Any) -> Any:
            node = doc.get(section) if isinstance(doc, dict) else None
            return node.get(key) if isinstance(node, dict) else None

        return answer

    def value(doc: Any) -> Any:
        node = doc
        for part in parts:
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    return value


def _clause_test(clause: Clause) -> Test:
    """A clause as a function of the document (a malformed answer never satisfies one)."""
    value_of = value_at(clause["path"])
    if "in" in clause:
        wanted = frozenset(clause["in"])

        def is_in(doc: dict[str, Any]) -> bool:
            value = value_of(doc)
            if isinstance(value, list):
                # A loop, not any(<generator>), which costs several times as much: conditions
                # are asked for every question of every document.
                for item in value:  # noqa: SIM110
                    if isinstance(item, str) and item in wanted:
                        return True
                return False
            return isinstance(value, str) and value in wanted

        return is_in
    if "not_in" in clause:
        unwanted = frozenset(clause["not_in"])
        return lambda doc: not (isinstance(value := value_of(doc), str) and value in unwanted)
    if "answered" in clause:
        return lambda doc: value_of(doc) is not None
    if "at_least" in clause:
        index, least = clause["item"], clause["at_least"]

        def scored(doc: dict[str, Any]) -> bool:
            value = value_of(doc)
            if not isinstance(value, list) or len(value) <= index:
                return False
            score = value[index]
            return isinstance(score, int) and not isinstance(score, bool) and score >= least

        return scored
    raise ValueError(f"unknown clause {clause!r}")


def clause_holds(doc: dict[str, Any], clause: Clause) -> bool:
    """Whether one clause is true of the document (a malformed answer never satisfies one)."""
    return _clause_test(clause)(doc)


@dataclass(frozen=True)
class Condition:
    """When a question is asked: clauses (any of them true shows it) and the reason in words.

    `live` conditions depend only on answers on the question's own page: the page script hides
    and shows the question as the person answers (`client`); the others are decided by the
    server when the page is drawn.
    """

    reason: str
    clauses: tuple[Clause, ...]
    live: bool = False

    def __call__(self, doc: dict[str, Any]) -> bool:
        return self.test(doc)

    @cached_property
    def test(self) -> Test:
        """The condition as one function of the document, made once: every page and every
        document asks each condition (validation, the page flow), so no clause is read from
        its dict again, and a caller that asks often keeps this function."""
        tests = tuple(_clause_test(clause) for clause in self.clauses)
        if len(tests) == 1:
            return tests[0]

        def any_holds(doc: dict[str, Any]) -> bool:
            for test in tests:  # noqa: SIM110  (as in is_in: no generator on every call)
                if test(doc):
                    return True
            return False

        return any_holds

    @property
    def client(self) -> tuple[Clause, ...] | None:
        """The clauses the page script evaluates, or None when only the server decides."""
        return self.clauses if self.live else None


def answer_in(path: str, values: set[str], reason: str) -> Condition:
    """Asked when the answer at `path` is one of `values` (same page: shown as it changes)."""
    return Condition(reason, ({"path": path, "in": sorted(values)},), live=True)


def answer_not_in(path: str, values: set[str], reason: str) -> Condition:
    """Asked unless the answer at `path` is one of `values` (unanswered counts as not)."""
    return Condition(reason, ({"path": path, "not_in": sorted(values)},), live=True)


def any_answer_in(paths: Iterable[str], values: set[str], reason: str, live: bool) -> Condition:
    """Asked when any of the answers at `paths` is, or holds, one of `values`."""
    return Condition(reason, tuple({"path": p, "in": sorted(values)} for p in paths), live)


def answered(paths: Iterable[str], reason: str) -> Condition:
    """Asked when any of the questions at `paths` is answered (same page)."""
    return Condition(reason, tuple({"path": p, "answered": True} for p in paths), live=True)


def item_at_least(path: str, item: int, score: int, reason: str) -> Condition:
    """Asked when item `item` (from 0) of the scale at `path` was scored `score` or more."""
    return Condition(reason, ({"path": path, "item": item, "at_least": score},))
