"""Scores reported with every summary (FLAGS.md; not flags): totals, bands, the PCL-5 cut-off."""

from __future__ import annotations

from ..questionnaire import instruments
from ..questionnaire.instruments import GAD7, PHQ9, YBOCS_BANDS, band_for
from ..questionnaire.types import get
from .thresholds import Thresholds


def scores_for(doc: dict, thresholds: Thresholds) -> dict:
    """PHQ-9 and GAD-7 totals and bands, PCL-5 against its cut-off, the reported Y-BOCS band."""
    phq9 = instruments.total(get(doc, "symptoms.phq9"))
    gad7 = instruments.total(get(doc, "symptoms.gad7"))
    pcl5_items, ybocs = get(doc, "symptoms.pcl5"), get(doc, "symptoms.ybocs_last_score")
    pcl5 = None
    if pcl5_items:  # null (or empty) when PTSD is not mentioned
        pcl5_total, cutoff = instruments.total(pcl5_items), thresholds.pcl5_cutoff
        pcl5 = {"total": pcl5_total, "at_or_above_cutoff": pcl5_total >= cutoff, "cutoff": cutoff}
    ybocs_reported = None
    if ybocs is not None:
        ybocs_reported = {"score": ybocs, "band": band_for(ybocs, YBOCS_BANDS)}
    return {
        "phq9": {"total": phq9, "band": PHQ9.band(phq9)},
        "gad7": {"total": gad7, "band": GAD7.band(gad7)},
        "pcl5": pcl5,
        "ybocs_reported": ybocs_reported,
    }
