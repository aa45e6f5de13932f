"""Scores reported with every summary: PHQ-9, GAD-7, PCL-5 against its cut-off, Y-BOCS reported."""

from __future__ import annotations

import pytest

from screening.rules import (
    Thresholds,
    scores_for,
)
from tests.rules_cases import (
    DEFAULT,
    changed,
    with_total,
)

# --- Scores ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total: int, band: str) -> None:
    doc = changed({"symptoms.phq9": with_total(total, 9, 3)})
    assert scores_for(doc, DEFAULT)["phq9"] == {"total": total, "band": band}


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total: int, band: str) -> None:
    doc = changed({"symptoms.gad7": with_total(total, 7, 3)})
    assert scores_for(doc, DEFAULT)["gad7"] == {"total": total, "band": band}


@pytest.mark.parametrize(
    ("total", "cutoff", "at_or_above"),
    [
        (32, 33, False),
        (33, 33, True),
        (80, 33, True),
        (0, 33, False),
        (31, 31, True),
        (30, 31, False),
    ],
)
def test_pcl5_cutoff(total: int, cutoff: int, at_or_above: bool) -> None:
    doc = changed({"conditions.suspected": ["ptsd"], "symptoms.pcl5": with_total(total, 20, 4)})
    assert scores_for(doc, Thresholds(pcl5_cutoff=cutoff))["pcl5"] == {
        "total": total,
        "at_or_above_cutoff": at_or_above,
        "cutoff": cutoff,
    }


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "subclinical"),
        (7, "subclinical"),
        (8, "mild"),
        (15, "mild"),
        (16, "moderate"),
        (23, "moderate"),
        (24, "severe"),
        (31, "severe"),
        (32, "extreme"),
        (40, "extreme"),
    ],
)
def test_ybocs_reported_bands(score: int, band: str) -> None:
    doc = changed({"symptoms.ybocs_last_score": score})
    assert scores_for(doc, DEFAULT)["ybocs_reported"] == {"score": score, "band": band}


def test_scores_not_asked_are_null() -> None:
    doc = changed({"symptoms.ybocs_last_score": None, "symptoms.pcl5": None})
    scores = scores_for(doc, DEFAULT)
    assert scores["ybocs_reported"] is None
    assert scores["pcl5"] is None
