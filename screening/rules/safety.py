"""Flags of FLAGS.md rows 1 to 8: self-harm, mania or psychosis now, and the medical reasons to
look first (vessels, allergy, pregnancy, age, blood pressure)."""

from __future__ import annotations

from datetime import date

from ..questionnaire.instruments import PHQ9
from ..questionnaire.types import age_on, get
from ..questionnaire.words import N_
from .base import (
    Context,
    Evidence,
    Found,
    Rule,
    all_said,
    answer_in,
    answers_in,
    ev,
    flag,
    has_reading,
    label_of,
    list_has,
    said,
)
from .levels import Level


def _item9_text(score: int) -> str:
    """PHQ-9 item 9 and its answer, as a detail says them (written only when a flag is raised)."""
    return (
        f"PHQ-9 item 9 (thoughts of being better off dead or of hurting oneself) = {score} "
        f"({PHQ9.option_label(score)})"
    )


@flag(
    "suicide_risk", ("phq9", "apa_ketamine_2017"), N_("How you have been feeling and your safety")
)
def _suicide_risk(doc: dict, ctx: Context) -> Found | None:
    """| suicide_risk | urgent | phq9[8] ≥ 1 and suicide_plan_or_intent = yes |
    | | high | otherwise, phq9[8] ≥ 1, or suicide_attempt_history = within_year |
    | | review | otherwise, suicide_attempt_history = more_than_year |"""
    item9 = Evidence("symptoms.phq9[8]", get(doc, "symptoms.phq9")[8])
    plan = ev(doc, "safety.suicide_plan_or_intent")
    attempt = ev(doc, "safety.suicide_attempt_history")
    thoughts = item9.value >= 1
    if thoughts and plan.value == "yes":
        title = "Thoughts of self-harm with a plan or intention right now"
        detail = f"{_item9_text(item9.value)}; {said(plan)}."
        return Found(Level.URGENT, title, detail, [item9, plan])
    if thoughts or attempt.value == "within_year":
        evidence, parts = ([item9], [_item9_text(item9.value)]) if thoughts else ([], [])
        if thoughts and plan.value == "no":
            parts.append(said(plan))  # context for the clinician, not a trigger
        if attempt.value == "within_year":
            evidence.append(attempt)
            parts.append(said(attempt))
        title = "Thoughts of self-harm, or a suicide attempt in the past year"
        return Found(Level.HIGH, title, "; ".join(parts) + ".", evidence)
    if attempt.value == "more_than_year":
        title = "Suicide attempt more than a year ago"
        return Found(Level.REVIEW, title, f"{said(attempt)}.", [attempt])
    return None


@flag(
    "mania_or_psychosis_now",
    ("spravato_pi", "apa_ketamine_2017"),
    N_("Recent changes in your mood, energy or experiences"),
)
def _mania_or_psychosis_now(doc: dict, ctx: Context) -> Found | None:
    """| mania_or_psychosis_now | urgent | mania_current = yes or psychosis_current = yes |"""
    found = answers_in(doc, ("safety.mania_current", "safety.psychosis_current"), ("yes",))
    title = "Manic or psychotic symptoms reported as current"
    return Found(Level.URGENT, title, all_said(found), found) if found else None


@flag("vascular_history", ("spravato_pi",), N_("Blood vessel conditions you told us about"))
def _vascular_history(doc: dict, ctx: Context) -> Found | None:
    """| vascular_history | high | medical.conditions has aneurysm, avm or brain_bleed |"""
    title = "Aneurysm, AVM or bleeding in the brain reported"
    values = {"aneurysm", "avm", "brain_bleed"}
    return list_has(doc, Level.HIGH, title, "medical.conditions", values)


@flag("ketamine_allergy", ("spravato_pi",), N_("A past reaction to ketamine or esketamine"))
def _ketamine_allergy(doc: dict, ctx: Context) -> Found | None:
    """| ketamine_allergy | high | ketamine_allergy = yes |"""
    title = "Past allergic reaction to ketamine or esketamine reported"
    return answer_in(doc, Level.HIGH, title, "medical.ketamine_allergy", {"yes"})


@flag("pregnancy", ("spravato_pi",), N_("Pregnancy, pregnancy plans or breastfeeding"))
def _pregnancy(doc: dict, ctx: Context) -> Found | None:
    """| pregnancy | high | pregnancy is pregnant, planning or breastfeeding |"""
    e = ev(doc, "about.pregnancy")
    if e.value not in ("pregnant", "planning", "breastfeeding"):
        return None
    words = {"pregnant": "pregnant", "planning": "planning a pregnancy"}
    detail = f"Pregnancy: {words.get(e.value, e.value)}."
    return Found(Level.HIGH, "Pregnant, planning a pregnancy or breastfeeding", detail, [e])


@flag("under_18", ("clinic_policy",), N_("Your age"))
def _under_18(doc: dict, ctx: Context) -> Found | None:
    """| under_18 | high | age < 18 |"""
    born = get(doc, "about.date_of_birth")
    born = date.fromisoformat(born) if isinstance(born, str) else born
    age = age_on(born, ctx.as_of)
    if age >= 18:
        return None
    detail = f"Date of birth {born.isoformat()}: age {age} on {ctx.as_of.isoformat()}."
    return Found(
        Level.HIGH, "Age under 18", detail, [Evidence("about.date_of_birth", born.isoformat())]
    )


@flag("blood_pressure", ("spravato_pi", "clinic_policy"), N_("Your blood pressure"))
def _blood_pressure(doc: dict, ctx: Context) -> Found | None:
    """| blood_pressure | high | a reading with systolic ≥ 180 or diastolic ≥ 110 |
    | | review | otherwise, a reading with systolic ≥ 140 or diastolic ≥ 90 |
    | | info | otherwise, a reading taken `longer` ago than 6 months |"""
    if not has_reading(doc):
        return None
    systolic, diastolic = ev(doc, "medical.bp_systolic"), ev(doc, "medical.bp_diastolic")
    when = ev(doc, "medical.bp_when")
    t = ctx.thresholds
    for level, (top, bottom) in ((Level.HIGH, t.bp_high), (Level.REVIEW, t.bp_review)):
        reasons = [f"systolic ≥ {top}"] if systolic.value >= top else []
        reasons += [f"diastolic ≥ {bottom}"] if diastolic.value >= bottom else []
        if reasons:
            title = f"Blood pressure reading at or above {top}/{bottom}"
            detail = f"{_reading_text(systolic, diastolic, when)}: {' and '.join(reasons)}."
            return Found(level, title, detail, [systolic, diastolic])
    if when.value == "longer":
        title = "Blood pressure reading more than 6 months old"
        reading = _reading_text(systolic, diastolic, when)
        detail = f"{reading}: reading taken more than 6 months ago."
        return Found(Level.INFO, title, detail, [systolic, diastolic, when])
    return None


def _reading_text(systolic: Evidence, diastolic: Evidence, when: Evidence) -> str:
    """A reading as a detail says it (written only when a flag is raised)."""
    text = f"Blood pressure {systolic.value}/{diastolic.value}"
    return text + (f" ({label_of(when.path, when.value)})" if when.value is not None else "")


@flag("bp_unknown", ("spravato_pi", "clinic_policy"), N_("Checking your blood pressure"))
def _bp_unknown(doc: dict, ctx: Context) -> Found | None:
    """| bp_unknown | review | no reading, and hypertension is yes or unsure |
    | | info | no reading otherwise |"""
    if has_reading(doc):
        return None
    no_reading = [ev(doc, "medical.bp_systolic"), ev(doc, "medical.bp_diastolic")]
    hypertension = ev(doc, "medical.hypertension")
    if hypertension.value in ("yes", "unsure"):
        detail = f"No blood pressure reading given; {said(hypertension)}."
        title = "No blood pressure reading; high blood pressure answered yes or not sure"
        return Found(Level.REVIEW, title, detail, [*no_reading, hypertension])
    title = "No blood pressure reading given"
    return Found(Level.INFO, title, "No blood pressure reading given.", no_reading)


RULES: tuple[Rule, ...] = (
    _suicide_risk,
    _mania_or_psychosis_now,
    _vascular_history,
    _ketamine_allergy,
    _pregnancy,
    _under_18,
    _blood_pressure,
    _bp_unknown,
)
