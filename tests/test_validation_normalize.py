"""Normalizing a document (text trimmed, browser line endings made newlines, blank text null)
as `evaluate` does it, in place after orjson parses it: the same document as json.loads and
normalizing a copy."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.questionnaire.validate import loads_normalized, normalize

# Text that normalizing changes: ends, line endings, only spaces, empty, Unicode spaces.
TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", " ", "\r\n", "a\r\nb\rc", " yes ", "\u00a0no\u3000", "\t", "x\r"]),
)
# JSON as RFC 8259 has it, which orjson reads as json.loads does: integers within 64 bits
# (orjson reads larger ones as floats), no NaN or infinities (json.loads accepts those).
INTEGERS = st.integers(min_value=-(2**63), max_value=2**64 - 1)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | INTEGERS | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_normalizing_in_place_gives_the_same_document(value: object) -> None:
    text = json.dumps(value)
    assert loads_normalized(text) == normalize(json.loads(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": " x\\r\\ny\\r ", "b": ["", " ok", ["\\r"]], "c": {"d": "  "}}',
         {"a": "x\ny", "b": [None, "ok", [None]], "c": {"d": None}}),
        ('"  top  "', "top"),
        ('["\\r\\n", {"k": " v "}]', [None, {"k": "v"}]),
        ("12", 12),
    ],
)  # fmt: skip
def test_normalized_in_place(text: str, expected: object) -> None:
    assert loads_normalized(text) == expected


@pytest.mark.parametrize(
    "text",
    ["{oops", "", "\ufeff{}", "[" * 100_000, "[NaN]", "[-Infinity]", "[1e400]", '["\\udc00"]'],
)
def test_what_is_not_strictly_json_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        loads_normalized(text)


def test_a_document_nested_hundreds_deep_is_normalized_without_recursing() -> None:
    deep = '{"a":' * 700 + '[" x "]' + "}" * 700
    doc = loads_normalized(deep)
    for _ in range(700):
        doc = doc["a"]
    assert doc == ["x"]
