"""Trial adequacy (FLAGS.md definitions), as the flags and the review page use it."""

from __future__ import annotations

from typing import Any

import pytest

from screening.rules import (
    Thresholds,
    trial_adequacy,
)
from tests.rules_cases import (
    DEFAULT,
    trial,
)

# --- Trial adequacy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "kind", "expected"),
    [
        (trial("sertraline", 200, 8), "sri", "adequate"),
        (trial("sertraline", 200, 7), "sri", "inadequate"),
        (trial("sertraline", 199, 8), "sri", "inadequate"),
        (trial("escitalopram", 20, 8), "sri", "adequate"),
        (trial("escitalopram", 19.5, 52), "sri", "inadequate"),
        (trial("clomipramine", 100, 8), "sri", "adequate"),
        (trial("clomipramine", 99, 12), "sri", "inadequate"),
        (trial("sertraline", None, 14), "sri", "undetermined"),
        (trial("sertraline", 200, None), "sri", "undetermined"),
        (trial("sertraline", None, 4), "sri", "undetermined"),
        (trial("sertraline", 200, 14, "side_effects"), "sri", "not_tolerated"),
        (trial("sertraline", None, None, "side_effects"), "sri", "not_tolerated"),
        (trial("sertraline", 25, 6), "antidepressant", "adequate"),
        (trial("bupropion", None, 6), "antidepressant", "adequate"),
        (trial("venlafaxine", 300, 5), "antidepressant", "inadequate"),
        (trial("mirtazapine", 15, None), "antidepressant", "undetermined"),
        (trial("trazodone", 100, 30, "side_effects"), "antidepressant", "not_tolerated"),
    ],
)
def test_trial_adequacy(row: dict[str, Any], kind: str, expected: str) -> None:
    assert trial_adequacy(row, DEFAULT, kind=kind) == expected


def test_sri_without_a_target_dose_is_undetermined() -> None:
    no_targets = Thresholds(ocd_target_doses={})
    assert trial_adequacy(trial("sertraline", 200, 14), no_targets, kind="sri") == "undetermined"


def test_unknown_trial_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown trial kind"):
        trial_adequacy(trial("sertraline", 200, 14), DEFAULT, kind="snri")
