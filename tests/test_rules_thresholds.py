"""The clinic's thresholds: defaults from the spec, overrides from config, their effect on flags."""

from __future__ import annotations

from typing import Any

import pytest

from screening.questionnaire.schema import MEDICATIONS
from screening.rules import (
    Evidence,
    Thresholds,
)
from tests.rules_cases import (
    DEFAULT,
    DEPRESSION,
    bp,
    changed,
    levels,
    the_flag,
)

# --- Thresholds ---------------------------------------------------------------------------------


def test_default_thresholds_follow_the_spec_and_catalogue() -> None:
    assert DEFAULT.adequate_sri_weeks == 8
    assert DEFAULT.adequate_antidepressant_weeks == 6
    assert DEFAULT.adequate_erp_sessions == 12
    assert DEFAULT.pcl5_cutoff == 33
    assert (DEFAULT.bp_review, DEFAULT.bp_high) == ((140, 90), (180, 110))
    assert DEFAULT.served_regions == ()
    assert dict(DEFAULT.ocd_target_doses) == {
        "fluoxetine": 40,
        "sertraline": 200,
        "paroxetine": 40,
        "fluvoxamine": 200,
        "citalopram": 40,
        "escitalopram": 20,
        "clomipramine": 100,
    }
    assert all(MEDICATIONS[key].is_sri for key in DEFAULT.ocd_target_doses)


def test_thresholds_from_config_reads_each_key() -> None:
    thresholds = Thresholds.from_config(
        {
            "ADEQUATE_SRI_WEEKS": 12,
            "ADEQUATE_ANTIDEPRESSANT_WEEKS": 8,
            "ADEQUATE_ERP_SESSIONS": 13,
            "PCL5_CUTOFF": 31,
            "BP_REVIEW": [135, 85],
            "BP_HIGH": (170, 105),
            "SERVED_REGIONS": ("CA", "NV"),
            "OCD_TARGET_DOSES": {"sertraline": 150, "clomipramine": None},
        }
    )
    assert thresholds.adequate_sri_weeks == 12
    assert thresholds.adequate_antidepressant_weeks == 8
    assert thresholds.adequate_erp_sessions == 13
    assert thresholds.pcl5_cutoff == 31
    assert (thresholds.bp_review, thresholds.bp_high) == ((135, 85), (170, 105))
    assert thresholds.served_regions == ("CA", "NV")
    assert thresholds.ocd_target_doses["sertraline"] == 150
    assert thresholds.ocd_target_doses["fluoxetine"] == 40  # not overridden
    assert "clomipramine" not in thresholds.ocd_target_doses  # None removes the target


def test_thresholds_from_an_empty_config_are_the_defaults() -> None:
    assert Thresholds.from_config({}) == DEFAULT


def test_served_regions_raise_outside_service_area() -> None:
    assert "outside_service_area" not in levels(changed({}))
    assert (
        levels(changed({}), Thresholds(served_regions=("CA", "NV"))).get("outside_service_area")
        is None
    )
    outside = Thresholds(served_regions=("NV", "OR"))
    flag = the_flag(changed({}), "outside_service_area", outside)
    assert flag.level == "info"
    assert flag.evidence == (Evidence("about.region", "CA"),)
    assert flag.detail == "Where you live: California (CA); regions served: NV, OR."


def test_ocd_target_dose_override_changes_adequacy() -> None:
    doc = changed({"medication_trials[0].max_daily_dose_mg": 150})
    assert levels(doc).get("sri_trials") == "info"
    lower = Thresholds(ocd_target_doses={**DEFAULT.ocd_target_doses, "sertraline": 150})
    assert levels(doc, lower).get("sri_trials") is None
    from_config = Thresholds.from_config({"OCD_TARGET_DOSES": {"sertraline": 150}})
    assert levels(doc, from_config).get("sri_trials") is None


@pytest.mark.parametrize(
    ("thresholds", "changes", "flag_id", "by_default", "level"),
    [
        (Thresholds(adequate_sri_weeks=13), {}, "sri_trials", None, "info"),
        (
            Thresholds(adequate_sri_weeks=7),
            {"medication_trials[1].duration_weeks": 7},
            "sri_trials",
            "info",
            None,
        ),
        (Thresholds(adequate_erp_sessions=17), {}, "erp_course", None, "info"),
        (
            Thresholds(adequate_antidepressant_weeks=13),
            DEPRESSION,
            "antidepressant_trials",
            None,
            "info",
        ),
        (Thresholds(bp_review=(120, 80)), {}, "blood_pressure", None, "review"),
        (Thresholds(bp_high=(124, 100)), {}, "blood_pressure", None, "high"),
        (Thresholds(bp_review=(150, 100)), bp(140, 90), "blood_pressure", "review", None),
    ],
)
def test_thresholds_change_flags(
    thresholds: Thresholds,
    changes: dict[str, Any],
    flag_id: str,
    by_default: str | None,
    level: str | None,
) -> None:
    assert levels(changed(changes)).get(flag_id) == by_default
    assert levels(changed(changes), thresholds).get(flag_id) == level


def test_config_leaves_every_default_to_the_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """config.py passes on what the environment sets; the defaults live in one place."""
    import importlib

    import config

    for name in ("ADEQUATE_SRI_WEEKS", "ADEQUATE_ANTIDEPRESSANT_WEEKS", "ADEQUATE_ERP_SESSIONS"):
        monkeypatch.delenv(name, raising=False)
    for name in ("PCL5_CUTOFF", "BP_REVIEW", "BP_HIGH", "SERVED_REGIONS", "OCD_TARGET_DOSES"):
        monkeypatch.delenv(name, raising=False)
    fresh = importlib.reload(config)
    settings = {key: getattr(fresh.Config, key) for key in dir(fresh.Config) if key.isupper()}
    assert settings["ADEQUATE_SRI_WEEKS"] is None
    assert settings["BP_HIGH"] is None
    assert Thresholds.from_config(settings) == DEFAULT
    monkeypatch.setenv("BP_HIGH", "170/100")
    assert importlib.reload(config).Config.BP_HIGH == (170, 100)
    monkeypatch.delenv("BP_HIGH")
    importlib.reload(config)
