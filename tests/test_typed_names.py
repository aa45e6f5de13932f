"""Which questions something was typed into (forms.typed_names): the rule of the field names,
`name` itself or `name-...`, worked out in one pass over a page's fields."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from screening.patient.forms import typed_names

parts = st.sampled_from(["a", "b", "ab", "0", "1", "phq9", "x_y", ""])
names = st.lists(parts, min_size=1, max_size=4).map("-".join)
values = st.lists(st.sampled_from(["", "", "1", "text"]), min_size=1, max_size=3)


def typed_by_the_rule(name: str, raw: MultiDict) -> bool:
    """The rule as the page states it: a field of the question holds something."""
    return any((key == name or key.startswith(f"{name}-")) and any(raw.getlist(key)) for key in raw)


@given(st.lists(st.tuples(names, values), max_size=8), names)
def test_typed_names_follow_the_rule(fields, name):
    raw = MultiDict([(key, value) for key, given_values in fields for value in given_values])
    assert (name in typed_names(raw)) == typed_by_the_rule(name, raw)


def test_a_row_of_a_group_counts_for_the_group():
    raw = MultiDict({"medication_trials-0-medication": "sertraline", "symptoms-phq9-0": ""})
    typed = typed_names(raw)
    assert {"medication_trials", "medication_trials-0"} <= typed
    assert "symptoms-phq9" not in typed and "medication" not in typed
