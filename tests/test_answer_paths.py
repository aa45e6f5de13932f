"""Reading an answer by its dotted path: `types.get` (the rules) and `conditions.value_at` (the
show/hide conditions) give the same value for any document, however malformed; a missing part
or one that is not an object gives None."""

from __future__ import annotations

from typing import Any

import pytest

from screening.questionnaire.conditions import value_at
from screening.questionnaire.types import get

DOCUMENTS: list[Any] = [
    {"medical": {"bp_systolic": 120, "notes": None}, "notes": "top", "a": {"b": {"c": 3}}},
    {"medical": {"bp_systolic": [1, 2]}, "notes": {"x": 1}},
    {"medical": "not an object", "a": {"b": "not an object"}},
    {"medical": ["a", "list"], "a": []},
    {"medical": None},
    {},
    [],
    "text",
    None,
]
PATHS = ["medical.bp_systolic", "medical.notes", "medical.missing", "notes", "notes.x", "a.b.c"]
EXPECTED = {
    0: {"medical.bp_systolic": 120, "notes": "top", "a.b.c": 3},
    1: {"medical.bp_systolic": [1, 2], "notes": {"x": 1}, "notes.x": 1},
    2: {"medical.bp_systolic": None},
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("index", range(len(DOCUMENTS)))
def test_get_and_value_at_read_the_same_answer(index: int, path: str) -> None:
    doc = DOCUMENTS[index]
    expected = EXPECTED.get(index, {}).get(path)

    assert get(doc, path) == expected
    assert value_at(path)(doc) == expected
    assert get(doc, path) == expected  # read again, once its path is known
