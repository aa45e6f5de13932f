"""Flags of FLAGS.md rows 9 to 17: substances, heart and brain history, psychosis, bipolar,
medicines taken now, other conditions, a severe PHQ-9 and answers not determined."""

from __future__ import annotations

from ..questionnaire import instruments
from ..questionnaire.instruments import BAND_LABELS, PHQ9
from ..questionnaire.schema import MEDICATIONS, QUESTIONS_BY_PATH, mentioned
from ..questionnaire.types import get
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
    label_of,
    list_has,
    listed,
    said,
)
from .levels import Level


@flag("substance_use", ("spravato_pi", "apa_ketamine_2017"), N_("Alcohol, drug or ketamine use"))
def _substance_use(doc: dict, ctx: Context) -> Found | None:
    """| substance_use | high | ketamine_misuse = yes |
    | | review | otherwise, substance_use is past or current |"""
    misuse = "Ketamine, esketamine or PCP used outside medical treatment"
    problem = "Problem alcohol or drug use reported"
    return answer_in(doc, Level.HIGH, misuse, "safety.ketamine_misuse", {"yes"}) or answer_in(
        doc, Level.REVIEW, problem, "safety.substance_use", {"past", "current"}
    )


@flag(
    "cardiovascular_history", ("spravato_pi",), N_("Heart and brain conditions you told us about")
)
def _cardiovascular_history(doc: dict, ctx: Context) -> Found | None:
    """| cardiovascular_history | review | medical.conditions has stroke, heart_attack,
    heart_failure, heart_rhythm, heart_valve, brain_injury or hypertensive_crisis |"""
    values = {"stroke", "heart_attack", "heart_failure", "heart_rhythm", "heart_valve"}
    values |= {"brain_injury", "hypertensive_crisis"}
    title = "Heart, stroke, brain injury or blood pressure emergency history reported"
    return list_has(doc, Level.REVIEW, title, "medical.conditions", values)


@flag(
    "psychosis_history",
    ("spravato_pi", "apa_ketamine_2017"),
    N_("Unusual experiences you or your family have had"),
)
def _psychosis_history(doc: dict, ctx: Context) -> Found | None:
    """| psychosis_history | review | psychosis_history = yes or family_psychosis = yes |"""
    found = answers_in(doc, ("safety.psychosis_history", "safety.family_psychosis"), ("yes",))
    title = "Past psychotic symptoms, or psychosis in close family, reported"
    return Found(Level.REVIEW, title, all_said(found), found) if found else None


@flag(
    "bipolar",
    ("apa_ketamine_2017", "diazgranados_2010"),
    N_("Your mood history and any mood medicines you take"),
)
def _bipolar(doc: dict, ctx: Context) -> Found | None:
    """| bipolar | review | mentioned(bipolar), or mania_history = yes; detail says whether a mood
    stabilizer (lithium, valproate, lamotrigine, antipsychotic, other) is reported |"""
    mania = ev(doc, "safety.mania_history")
    if mania.value != "yes" and not mentioned(doc, "bipolar"):
        return None
    diagnosed = listed(doc, "conditions.diagnosed", {"bipolar"})
    suspected = listed(doc, "conditions.suspected", {"bipolar"})
    primary = ev(doc, "conditions.primary_concern")
    parts = ["Bipolar disorder reported as diagnosed"] if diagnosed else []
    parts += ["Bipolar disorder reported as suspected (not diagnosed)"] if suspected else []
    evidence = diagnosed + suspected
    if primary.value in ("bipolar", "bipolar_depression"):
        evidence.append(primary)
        parts.append(f"Primary concern: {label_of(primary.path, primary.value)}")
    if mania.value == "yes":
        evidence.append(mania)
        parts.append(said(mania))
    path = "safety.mood_stabilizers"
    stabilizers = ", ".join(label_of(path, v) for v in get(doc, path) or [])
    taken = f"Mood stabilizer reported: {stabilizers}." if stabilizers else ""
    detail = "; ".join(parts) + ". " + (taken or "No mood stabilizer reported.")
    title = "Bipolar disorder mentioned, or a past period of high energy reported"
    return Found(Level.REVIEW, title, detail, evidence)


@flag("sedating_medication", ("spravato_pi",), N_("Medicines that can make you sleepy"))
def _sedating_medication(doc: dict, ctx: Context) -> Found | None:
    """| sedating_medication | review | current_medications has benzodiazepine, opioid or
    sleep_medication |"""
    values = {"benzodiazepine", "opioid", "sleep_medication"}
    title = "Sedating medicine taken now"
    return list_has(doc, Level.REVIEW, title, "medical.current_medications", values)


@flag("pressor_medication", ("spravato_pi",), N_("Medicines that can raise blood pressure"))
def _pressor_medication(doc: dict, ctx: Context) -> Found | None:
    """| pressor_medication | review | current_medications has stimulant or maoi, or a `current`
    medication trial of class maoi |"""
    path = "medical.current_medications"
    evidence = listed(doc, path, {"stimulant", "maoi"})
    parts = [f"{QUESTIONS_BY_PATH[path].short}: {label_of(path, e.value)}" for e in evidence]
    for i, trial in enumerate(get(doc, "medication_trials") or []):
        medication = MEDICATIONS.get(trial.get("medication"))
        if trial.get("current") is True and medication and medication.drug_class == "maoi":
            evidence.append(Evidence(f"medication_trials[{i}].medication", medication.key))
            evidence.append(Evidence(f"medication_trials[{i}].current", True))
            parts.append(f"Antidepressant taken now: {medication.label}, an MAOI")
    title = "Stimulant or MAOI taken now"
    return Found(Level.REVIEW, title, "; ".join(parts) + ".", evidence) if evidence else None


@flag(
    "other_medical",
    ("spravato_pi", "apa_ketamine_2017"),
    N_("Other health conditions you told us about"),
)
def _other_medical(doc: dict, ctx: Context) -> Found | None:
    """| other_medical | review | medical.conditions has seizures, liver_disease, bladder_problems,
    thyroid_untreated, glaucoma or sleep_apnea |"""
    values = {"seizures", "liver_disease", "bladder_problems", "thyroid_untreated", "glaucoma"}
    values |= {"sleep_apnea"}
    title = "Other relevant health conditions reported"
    return list_has(doc, Level.REVIEW, title, "medical.conditions", values)


@flag(
    "severe_depression_score",
    ("phq9", "apa_ketamine_2017"),
    N_("How your mood has been over the last two weeks"),
)
def _severe_depression_score(doc: dict, ctx: Context) -> Found | None:
    """| severe_depression_score | review | PHQ-9 total ≥ 20 |"""
    items = list(get(doc, "symptoms.phq9"))
    score = instruments.total(items)
    if score < 20:
        return None
    detail = f"PHQ-9 total {score} ({BAND_LABELS[PHQ9.band(score)]}): 20 or more."
    return Found(Level.REVIEW, "PHQ-9 total 20 or more", detail, [Evidence("symptoms.phq9", items)])


_NOT_DETERMINED_PATHS = (
    "about.pregnancy",
    "safety.suicide_attempt_history",
    "safety.psychosis_history",
    "safety.psychosis_current",
    "safety.mania_history",
    "safety.mania_current",
    "safety.substance_use",
    "safety.ketamine_misuse",
    "medical.ketamine_allergy",
)


@flag(
    "not_determined",
    ("spravato_pi", "apa_ketamine_2017"),
    N_("Questions you were not sure about or preferred not to answer"),
)
def _not_determined(doc: dict, ctx: Context) -> Found | None:
    """| not_determined | review | any of these answered unsure or prefer_not_to_say: pregnancy,
    suicide_attempt_history, psychosis_history, psychosis_current, mania_history, mania_current,
    substance_use, ketamine_misuse, ketamine_allergy; detail lists each question |"""
    found = answers_in(doc, _NOT_DETERMINED_PATHS, ("unsure", "prefer_not_to_say"))
    if not found:
        return None
    detail = "Answered not sure or prefer not to say: " + all_said(found)
    title = "Safety questions answered not sure or prefer not to say"
    return Found(Level.REVIEW, title, detail, found)


RULES: tuple[Rule, ...] = (
    _substance_use,
    _cardiovascular_history,
    _psychosis_history,
    _bipolar,
    _sedating_medication,
    _pressor_medication,
    _other_medical,
    _severe_depression_score,
    _not_determined,
)
