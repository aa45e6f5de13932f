"""Flags for clinician review and scores (FLAGS.md, rules version 1): pure, no Flask, no database.

One small function per flag, its FLAGS.md row in the docstring; `@_flag` gives it the flag's id,
sources and patient text, and RULES lists them in table order. Evidence holds only the answers in
the condition of the level the flag reached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import wraps
from types import MappingProxyType
from typing import Any, NamedTuple

from .questionnaire import instruments
from .questionnaire.instruments import BAND_LABELS, GAD7, PHQ9, YBOCS_BANDS, band_for
from .questionnaire.schema import MEDICATIONS, QUESTIONS_BY_PATH, mentioned
from .questionnaire.types import age_on, get

RULES_VERSION = "1"
LEVELS = ("urgent", "high", "review", "info")  # highest first
LEVEL_RANK: dict[str, int] = {"urgent": 4, "high": 3, "review": 2, "info": 1}
FAILED_OUTCOMES = frozenset({"partial", "no_change", "worse"})


def _catalogue_targets() -> Mapping[str, float]:
    targets = {k: m.ocd_target_mg for k, m in MEDICATIONS.items() if m.ocd_target_mg is not None}
    return MappingProxyType(targets)


def _thresholds_from(values: dict[str, Any]) -> Thresholds:
    return Thresholds(
        **{**values, "ocd_target_doses": MappingProxyType(values["ocd_target_doses"])}
    )


@dataclass(frozen=True)
class Thresholds:
    """The clinic's thresholds (FLAGS.md "Definitions used below"); defaults as in the spec."""

    adequate_sri_weeks: int = 8
    adequate_antidepressant_weeks: int = 6
    adequate_erp_sessions: int = 12
    pcl5_cutoff: int = 33
    bp_review: tuple[int, int] = (140, 90)
    bp_high: tuple[int, int] = (180, 110)
    served_regions: tuple[str, ...] = ()  # empty: every region is served
    ocd_target_doses: Mapping[str, float] = field(default_factory=_catalogue_targets, hash=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (evaluate --jsonl hands thresholds to worker processes): the read-only
        # mapping travels as a dict and is wrapped again on arrival.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["ocd_target_doses"] = dict(self.ocd_target_doses)
        return (_thresholds_from, (values,))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Thresholds:
        """Thresholds from a Flask config (any mapping); a missing or None key keeps its default.

        OCD_TARGET_DOSES overrides the catalogue per medication; a None dose removes the target.
        """
        base = cls()

        def setting(key: str, default: Any) -> Any:
            value = config.get(key)
            return default if value is None else value

        targets = dict(base.ocd_target_doses)
        for key, dose in setting("OCD_TARGET_DOSES", {}).items():
            if dose is None:
                targets.pop(key, None)
            else:
                targets[key] = float(dose)
        regions = setting("SERVED_REGIONS", ())
        if isinstance(regions, str):
            regions = [part.strip() for part in regions.split(",") if part.strip()]
        review, high = setting("BP_REVIEW", base.bp_review), setting("BP_HIGH", base.bp_high)
        antidepressant_weeks = setting(
            "ADEQUATE_ANTIDEPRESSANT_WEEKS", base.adequate_antidepressant_weeks
        )
        return cls(
            adequate_sri_weeks=int(setting("ADEQUATE_SRI_WEEKS", base.adequate_sri_weeks)),
            adequate_antidepressant_weeks=int(antidepressant_weeks),
            adequate_erp_sessions=int(setting("ADEQUATE_ERP_SESSIONS", base.adequate_erp_sessions)),
            pcl5_cutoff=int(setting("PCL5_CUTOFF", base.pcl5_cutoff)),
            bp_review=(int(review[0]), int(review[1])),
            bp_high=(int(high[0]), int(high[1])),
            served_regions=tuple(regions),
            ocd_target_doses=MappingProxyType(targets),
        )


@dataclass(frozen=True)
class Evidence:
    """One answer that triggered a flag: its path (0-based list indexes) and the value given."""

    path: str
    value: Any

    def to_dict(self) -> dict:
        return {"path": self.path, "value": self.value}


@dataclass(frozen=True)
class Flag:
    """Something in the answers for a clinician to look at; it points at answers, never decides."""

    id: str
    level: str
    title: str
    detail: str
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]
    patient_text: str

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "detail": self.detail,
            "evidence": [e.to_dict() for e in self.evidence],
            "sources": list(self.sources),
            "patient_text": self.patient_text,
        }


@dataclass(frozen=True)
class Evaluation:
    """The flags (ordered) and the scores for one answer document."""

    flags: tuple[Flag, ...]
    scores: dict[str, Any]

    @property
    def highest_level(self) -> str | None:
        return max((f.level for f in self.flags), key=LEVEL_RANK.__getitem__, default=None)

    def to_dict(self) -> dict:
        flags = [f.to_dict() for f in self.flags]
        return {"rules_version": RULES_VERSION, "flags": flags, "scores": self.scores}


# --- Helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    as_of: date
    thresholds: Thresholds


class _Found(NamedTuple):
    """What a flag function found: the level reached, the words and the triggering answers."""

    level: str
    title: str
    detail: str
    evidence: list[Evidence]
    more_sources: tuple[str, ...] = ()


Rule = Callable[[dict, _Context], Flag | None]
_Finder = Callable[[dict, _Context], _Found | None]


def _flag(flag_id: str, sources: tuple[str, ...], patient_text: str) -> Callable[[_Finder], Rule]:
    """Makes a flag function return a Flag with this id, these sources and this patient text."""

    def decorate(find: _Finder) -> Rule:
        @wraps(find)
        def rule(doc: dict, ctx: _Context) -> Flag | None:
            found = find(doc, ctx)
            if found is None:
                return None
            level, title, detail, evidence, more_sources = found
            all_sources = sources + more_sources
            return Flag(flag_id, level, title, detail, tuple(evidence), all_sources, patient_text)

        rule.flag_id = flag_id  # type: ignore[attr-defined]
        return rule

    return decorate


def _ev(doc: dict, path: str) -> Evidence:
    return Evidence(path, get(doc, path))


def _listed(doc: dict, path: str, wanted: Any) -> list[Evidence]:
    """Each item of the list at path that is one of wanted, with its 0-based index."""
    return [Evidence(f"{path}[{i}]", v) for i, v in enumerate(get(doc, path) or []) if v in wanted]


def _label(path: str, value: Any) -> str:
    """The words the patient saw for an answer, without the examples in brackets."""
    return QUESTIONS_BY_PATH[path].choice_label(value).split(" (")[0]


def _said(e: Evidence) -> str:
    """The question's short name and the answer's label, e.g. "Allergy to ketamine: Yes"."""
    path = e.path.split("[")[0]
    return f"{QUESTIONS_BY_PATH[path].short}: {_label(path, e.value)}"


def _all_said(found: list[Evidence]) -> str:
    return "; ".join(map(_said, found)) + "."


def _answer_in(doc: dict, level: str, title: str, path: str, values: Any) -> _Found | None:
    """Found when the answer at path is one of values."""
    e = _ev(doc, path)
    return _Found(level, title, f"{_said(e)}.", [e]) if e.value in values else None


def _list_has(doc: dict, level: str, title: str, path: str, values: Any) -> _Found | None:
    """Found when the list at path holds any of values."""
    found = _listed(doc, path, values)
    if not found:
        return None
    items = "; ".join(_label(path, e.value) for e in found)
    return _Found(level, title, f"{QUESTIONS_BY_PATH[path].short}: {items}.", found)


def _has_reading(doc: dict) -> bool:
    """Validation guarantees both numbers or neither; a reading needs both."""
    return (
        get(doc, "medical.bp_systolic") is not None and get(doc, "medical.bp_diastolic") is not None
    )


# --- The flags, in FLAGS.md table order -------------------------------------------------------


@_flag("suicide_risk", ("phq9", "apa_ketamine_2017"), "How you have been feeling and your safety")
def _suicide_risk(doc: dict, ctx: _Context) -> _Found | None:
    """| suicide_risk | urgent | phq9[8] ≥ 1 and suicide_plan_or_intent = yes |
    | | high | otherwise, phq9[8] ≥ 1, or suicide_attempt_history = within_year |
    | | review | otherwise, suicide_attempt_history = more_than_year |"""
    item9 = Evidence("symptoms.phq9[8]", get(doc, "symptoms.phq9")[8])
    plan = _ev(doc, "safety.suicide_plan_or_intent")
    attempt = _ev(doc, "safety.suicide_attempt_history")
    thoughts = item9.value >= 1
    item9_text = (
        f"PHQ-9 item 9 (thoughts of being better off dead or of hurting oneself) = {item9.value} "
        f"({PHQ9.option_label(item9.value)})"
    )
    if thoughts and plan.value == "yes":
        title = "Thoughts of self-harm with a plan or intention right now"
        return _Found("urgent", title, f"{item9_text}; {_said(plan)}.", [item9, plan])
    if thoughts or attempt.value == "within_year":
        evidence, parts = ([item9], [item9_text]) if thoughts else ([], [])
        if thoughts and plan.value == "no":
            parts.append(_said(plan))  # context for the clinician, not a trigger
        if attempt.value == "within_year":
            evidence.append(attempt)
            parts.append(_said(attempt))
        title = "Thoughts of self-harm, or a suicide attempt in the past year"
        return _Found("high", title, "; ".join(parts) + ".", evidence)
    if attempt.value == "more_than_year":
        title = "Suicide attempt more than a year ago"
        return _Found("review", title, f"{_said(attempt)}.", [attempt])
    return None


@_flag(
    "mania_or_psychosis_now",
    ("spravato_pi", "apa_ketamine_2017"),
    "Recent changes in your mood, energy or experiences",
)
def _mania_or_psychosis_now(doc: dict, ctx: _Context) -> _Found | None:
    """| mania_or_psychosis_now | urgent | mania_current = yes or psychosis_current = yes |"""
    answers = (_ev(doc, "safety.mania_current"), _ev(doc, "safety.psychosis_current"))
    found = [e for e in answers if e.value == "yes"]
    title = "Manic or psychotic symptoms reported as current"
    return _Found("urgent", title, _all_said(found), found) if found else None


@_flag("vascular_history", ("spravato_pi",), "Blood vessel conditions you told us about")
def _vascular_history(doc: dict, ctx: _Context) -> _Found | None:
    """| vascular_history | high | medical.conditions has aneurysm, avm or brain_bleed |"""
    title = "Aneurysm, AVM or bleeding in the brain reported"
    values = {"aneurysm", "avm", "brain_bleed"}
    return _list_has(doc, "high", title, "medical.conditions", values)


@_flag("ketamine_allergy", ("spravato_pi",), "A past reaction to ketamine or esketamine")
def _ketamine_allergy(doc: dict, ctx: _Context) -> _Found | None:
    """| ketamine_allergy | high | ketamine_allergy = yes |"""
    title = "Past allergic reaction to ketamine or esketamine reported"
    return _answer_in(doc, "high", title, "medical.ketamine_allergy", {"yes"})


@_flag("pregnancy", ("spravato_pi",), "Pregnancy, pregnancy plans or breastfeeding")
def _pregnancy(doc: dict, ctx: _Context) -> _Found | None:
    """| pregnancy | high | pregnancy is pregnant, planning or breastfeeding |"""
    e = _ev(doc, "about.pregnancy")
    words = {"pregnant": "pregnant", "planning": "planning a pregnancy"}
    if e.value not in ("pregnant", "planning", "breastfeeding"):
        return None
    detail = f"Pregnancy: {words.get(e.value, e.value)}."
    return _Found("high", "Pregnant, planning a pregnancy or breastfeeding", detail, [e])


@_flag("under_18", ("clinic_policy",), "Your age")
def _under_18(doc: dict, ctx: _Context) -> _Found | None:
    """| under_18 | high | age < 18 |"""
    born = get(doc, "about.date_of_birth")
    born = date.fromisoformat(born) if isinstance(born, str) else born
    age = age_on(born, ctx.as_of)
    if age >= 18:
        return None
    detail = f"Date of birth {born.isoformat()}: age {age} on {ctx.as_of.isoformat()}."
    return _Found(
        "high", "Age under 18", detail, [Evidence("about.date_of_birth", born.isoformat())]
    )


@_flag("blood_pressure", ("spravato_pi", "clinic_policy"), "Your blood pressure")
def _blood_pressure(doc: dict, ctx: _Context) -> _Found | None:
    """| blood_pressure | high | a reading with systolic ≥ 180 or diastolic ≥ 110 |
    | | review | otherwise, a reading with systolic ≥ 140 or diastolic ≥ 90 |
    | | info | otherwise, a reading taken `longer` ago than 6 months |"""
    if not _has_reading(doc):
        return None
    systolic, diastolic = _ev(doc, "medical.bp_systolic"), _ev(doc, "medical.bp_diastolic")
    when = _ev(doc, "medical.bp_when")
    text = f"Blood pressure {systolic.value}/{diastolic.value}"
    text += f" ({_label(when.path, when.value)})" if when.value is not None else ""
    t = ctx.thresholds
    for level, (top, bottom) in (("high", t.bp_high), ("review", t.bp_review)):
        reasons = [f"systolic ≥ {top}"] if systolic.value >= top else []
        reasons += [f"diastolic ≥ {bottom}"] if diastolic.value >= bottom else []
        if reasons:
            title = f"Blood pressure reading at or above {top}/{bottom}"
            return _Found(level, title, f"{text}: {' and '.join(reasons)}.", [systolic, diastolic])
    if when.value == "longer":
        title = "Blood pressure reading more than 6 months old"
        detail = f"{text}: reading taken more than 6 months ago."
        return _Found("info", title, detail, [systolic, diastolic, when])
    return None


@_flag("bp_unknown", ("spravato_pi", "clinic_policy"), "Checking your blood pressure")
def _bp_unknown(doc: dict, ctx: _Context) -> _Found | None:
    """| bp_unknown | review | no reading, and hypertension is yes or unsure |
    | | info | no reading otherwise |"""
    if _has_reading(doc):
        return None
    no_reading = [_ev(doc, "medical.bp_systolic"), _ev(doc, "medical.bp_diastolic")]
    hypertension = _ev(doc, "medical.hypertension")
    if hypertension.value in ("yes", "unsure"):
        detail = f"No blood pressure reading given; {_said(hypertension)}."
        title = "No blood pressure reading; high blood pressure answered yes or not sure"
        return _Found("review", title, detail, [*no_reading, hypertension])
    title = "No blood pressure reading given"
    return _Found("info", title, "No blood pressure reading given.", no_reading)


@_flag("substance_use", ("spravato_pi", "apa_ketamine_2017"), "Alcohol, drug or ketamine use")
def _substance_use(doc: dict, ctx: _Context) -> _Found | None:
    """| substance_use | high | ketamine_misuse = yes |
    | | review | otherwise, substance_use is past or current |"""
    misuse = "Ketamine, esketamine or PCP used outside medical treatment"
    problem = "Problem alcohol or drug use reported"
    return _answer_in(doc, "high", misuse, "safety.ketamine_misuse", {"yes"}) or _answer_in(
        doc, "review", problem, "safety.substance_use", {"past", "current"}
    )


@_flag("cardiovascular_history", ("spravato_pi",), "Heart and brain conditions you told us about")
def _cardiovascular_history(doc: dict, ctx: _Context) -> _Found | None:
    """| cardiovascular_history | review | medical.conditions has stroke, heart_attack,
    heart_failure, heart_rhythm, heart_valve, brain_injury or hypertensive_crisis |"""
    values = {"stroke", "heart_attack", "heart_failure", "heart_rhythm", "heart_valve"}
    values |= {"brain_injury", "hypertensive_crisis"}
    title = "Heart, stroke, brain injury or blood pressure emergency history reported"
    return _list_has(doc, "review", title, "medical.conditions", values)


@_flag(
    "psychosis_history",
    ("spravato_pi", "apa_ketamine_2017"),
    "Unusual experiences you or your family have had",
)
def _psychosis_history(doc: dict, ctx: _Context) -> _Found | None:
    """| psychosis_history | review | psychosis_history = yes or family_psychosis = yes |"""
    answers = (_ev(doc, "safety.psychosis_history"), _ev(doc, "safety.family_psychosis"))
    found = [e for e in answers if e.value == "yes"]
    title = "Past psychotic symptoms, or psychosis in close family, reported"
    return _Found("review", title, _all_said(found), found) if found else None


@_flag(
    "bipolar",
    ("apa_ketamine_2017", "diazgranados_2010"),
    "Your mood history and any mood medicines you take",
)
def _bipolar(doc: dict, ctx: _Context) -> _Found | None:
    """| bipolar | review | mentioned(bipolar), or mania_history = yes; detail says whether a mood
    stabilizer (lithium, valproate, lamotrigine, antipsychotic, other) is reported |"""
    mania = _ev(doc, "safety.mania_history")
    if not (mentioned(doc, "bipolar") or mania.value == "yes"):
        return None
    diagnosed = _listed(doc, "conditions.diagnosed", {"bipolar"})
    suspected = _listed(doc, "conditions.suspected", {"bipolar"})
    primary = _ev(doc, "conditions.primary_concern")
    parts = ["Bipolar disorder reported as diagnosed"] if diagnosed else []
    parts += ["Bipolar disorder reported as suspected (not diagnosed)"] if suspected else []
    evidence = diagnosed + suspected
    if primary.value in ("bipolar", "bipolar_depression"):
        evidence.append(primary)
        parts.append(f"Primary concern: {_label(primary.path, primary.value)}")
    if mania.value == "yes":
        evidence.append(mania)
        parts.append(_said(mania))
    path = "safety.mood_stabilizers"
    stabilizers = ", ".join(_label(path, v) for v in get(doc, path) or [])
    taken = f"Mood stabilizer reported: {stabilizers}." if stabilizers else ""
    detail = "; ".join(parts) + ". " + (taken or "No mood stabilizer reported.")
    title = "Bipolar disorder mentioned, or a past period of high energy reported"
    return _Found("review", title, detail, evidence)


@_flag("sedating_medication", ("spravato_pi",), "Medicines that can make you sleepy")
def _sedating_medication(doc: dict, ctx: _Context) -> _Found | None:
    """| sedating_medication | review | current_medications has benzodiazepine, opioid or
    sleep_medication |"""
    values = {"benzodiazepine", "opioid", "sleep_medication"}
    title = "Sedating medicine taken now"
    return _list_has(doc, "review", title, "medical.current_medications", values)


@_flag("pressor_medication", ("spravato_pi",), "Medicines that can raise blood pressure")
def _pressor_medication(doc: dict, ctx: _Context) -> _Found | None:
    """| pressor_medication | review | current_medications has stimulant or maoi, or a `current`
    medication trial of class maoi |"""
    path = "medical.current_medications"
    evidence = _listed(doc, path, {"stimulant", "maoi"})
    parts = [f"{QUESTIONS_BY_PATH[path].short}: {_label(path, e.value)}" for e in evidence]
    for i, trial in enumerate(get(doc, "medication_trials") or []):
        medication = MEDICATIONS.get(trial.get("medication"))
        if trial.get("current") is True and medication and medication.drug_class == "maoi":
            evidence.append(Evidence(f"medication_trials[{i}].medication", medication.key))
            evidence.append(Evidence(f"medication_trials[{i}].current", True))
            parts.append(f"Antidepressant taken now: {medication.label}, an MAOI")
    title = "Stimulant or MAOI taken now"
    return _Found("review", title, "; ".join(parts) + ".", evidence) if evidence else None


@_flag(
    "other_medical",
    ("spravato_pi", "apa_ketamine_2017"),
    "Other health conditions you told us about",
)
def _other_medical(doc: dict, ctx: _Context) -> _Found | None:
    """| other_medical | review | medical.conditions has seizures, liver_disease, bladder_problems,
    thyroid_untreated, glaucoma or sleep_apnea |"""
    values = {"seizures", "liver_disease", "bladder_problems", "thyroid_untreated", "glaucoma"}
    values |= {"sleep_apnea"}
    title = "Other relevant health conditions reported"
    return _list_has(doc, "review", title, "medical.conditions", values)


@_flag(
    "severe_depression_score",
    ("phq9", "apa_ketamine_2017"),
    "How your mood has been over the last two weeks",
)
def _severe_depression_score(doc: dict, ctx: _Context) -> _Found | None:
    """| severe_depression_score | review | PHQ-9 total ≥ 20 |"""
    items = list(get(doc, "symptoms.phq9"))
    score = instruments.total(items)
    if score < 20:
        return None
    detail = f"PHQ-9 total {score} ({BAND_LABELS[PHQ9.band(score)]}): 20 or more."
    return _Found("review", "PHQ-9 total 20 or more", detail, [Evidence("symptoms.phq9", items)])


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


@_flag(
    "not_determined",
    ("spravato_pi", "apa_ketamine_2017"),
    "Questions you were not sure about or preferred not to answer",
)
def _not_determined(doc: dict, ctx: _Context) -> _Found | None:
    """| not_determined | review | any of these answered unsure or prefer_not_to_say: pregnancy,
    suicide_attempt_history, psychosis_history, psychosis_current, mania_history, mania_current,
    substance_use, ketamine_misuse, ketamine_allergy; detail lists each question |"""
    answers = (_ev(doc, path) for path in _NOT_DETERMINED_PATHS)
    found = [e for e in answers if e.value in ("unsure", "prefer_not_to_say")]
    if not found:
        return None
    detail = "Answered not sure or prefer not to say: " + _all_said(found)
    title = "Safety questions answered not sure or prefer not to say"
    return _Found("review", title, detail, found)


def trial_adequacy(trial: dict, thresholds: Thresholds, *, kind: str) -> str:
    """adequate, inadequate, undetermined or not_tolerated for an "sri" or "antidepressant" trial.

    Stopped for side effects: not tolerated, whatever else is known. An SRI whose medication has
    no OCD target dose in the thresholds is undetermined, like a missing dose: the dose criterion
    cannot be judged (and no target is invented).
    """
    if kind not in ("sri", "antidepressant"):
        raise ValueError(f"unknown trial kind: {kind!r}")
    if trial.get("outcome") == "side_effects":
        return "not_tolerated"
    weeks = trial.get("duration_weeks")
    if kind == "antidepressant":
        if weeks is None:
            return "undetermined"
        return "adequate" if weeks >= thresholds.adequate_antidepressant_weeks else "inadequate"
    dose = trial.get("max_daily_dose_mg")
    target = thresholds.ocd_target_doses.get(trial.get("medication"))
    if weeks is None or dose is None or target is None:
        return "undetermined"
    adequate = weeks >= thresholds.adequate_sri_weeks and dose >= target
    return "adequate" if adequate else "inadequate"


def _is_sri(trial: dict) -> bool:
    medication = MEDICATIONS.get(trial.get("medication"))
    return medication is not None and medication.is_sri


def _trials(doc: dict, ctx: _Context, kind: str) -> _Found | None:
    """sri_trials and antidepressant_trials: fewer than 2 failed adequate trials of the kind."""
    trials = enumerate(get(doc, "medication_trials") or [])
    rows = [(i, trial) for i, trial in trials if kind == "antidepressant" or _is_sri(trial)]
    adequacy = [trial_adequacy(trial, ctx.thresholds, kind=kind) for _, trial in rows]
    failed = sum(
        a == "adequate" and trial.get("outcome") in FAILED_OUTCOMES
        for a, (_, trial) in zip(adequacy, rows, strict=True)
    )
    if failed >= 2:
        return None
    primary = _ev(doc, "conditions.primary_concern")
    evidence = [primary] + [Evidence(f"medication_trials[{i}]", dict(trial)) for i, trial in rows]
    name, t = ("SRI" if kind == "sri" else "antidepressant"), ctx.thresholds
    detail = (
        f"Primary concern: {_label(primary.path, primary.value)}. "
        f"{name[0].upper() + name[1:]} trials reported: {len(rows)} (failed adequate: {failed}; "
        f"undetermined: {adequacy.count('undetermined')}; "
        f"not tolerated: {adequacy.count('not_tolerated')})."
    )
    if kind == "sri":
        tried = any(trial.get("medication") == "clomipramine" for _, trial in rows)
        detail += f" Clomipramine tried: {'yes' if tried else 'no'}. Adequate here means at "
        detail += f"least {t.adequate_sri_weeks} weeks at or above the OCD target dose."
    else:
        detail += f" Adequate here means at least {t.adequate_antidepressant_weeks} weeks."
    return _Found("info", f"Fewer than 2 failed adequate {name} trials", detail, evidence)


@_flag("sri_trials", ("apa_ocd_2007", "clinic_policy"), "The OCD medicines you have tried")
def _sri_trials(doc: dict, ctx: _Context) -> _Found | None:
    """| sri_trials | info | primary = ocd and fewer than 2 failed adequate SRI trials; detail
    gives counts of failed adequate, undetermined and not-tolerated SRI trials, and whether
    clomipramine was tried |"""
    return _trials(doc, ctx, "sri") if get(doc, "conditions.primary_concern") == "ocd" else None


@_flag(
    "erp_course",
    ("apa_ocd_2007", "clinic_policy"),
    "Exposure and response prevention (ERP) therapy",
)
def _erp_course(doc: dict, ctx: _Context) -> _Found | None:
    """| erp_course | info | primary = ocd, and not (erp = completed and (erp_sessions is null or
    erp_sessions ≥ ADEQUATE_ERP_SESSIONS)) |"""
    if get(doc, "conditions.primary_concern") != "ocd":
        return None
    erp, sessions = _ev(doc, "therapy.erp"), _ev(doc, "therapy.erp_sessions")
    minimum = ctx.thresholds.adequate_erp_sessions
    if erp.value == "completed" and (sessions.value is None or sessions.value >= minimum):
        return None
    evidence = [_ev(doc, "conditions.primary_concern"), erp]
    detail = f"Primary concern: OCD; {_said(erp)}"
    if erp.value == "completed":
        evidence.append(sessions)
        detail += f"; {sessions.value} sessions (fewer than {minimum})"
    elif sessions.value is not None:
        detail += f"; {_said(sessions)}"  # context: sessions of a course not completed
    title = f"No completed ERP course of {minimum} or more sessions reported"
    return _Found("info", title, detail + ".", evidence)


@_flag(
    "antidepressant_trials",
    ("apa_ketamine_2017", "clinic_policy"),
    "The antidepressants you have tried",
)
def _antidepressant_trials(doc: dict, ctx: _Context) -> _Found | None:
    """| antidepressant_trials | info | primary is depression or bipolar_depression, and fewer
    than 2 failed adequate antidepressant trials; detail gives counts as for sri_trials |"""
    if get(doc, "conditions.primary_concern") not in ("depression", "bipolar_depression"):
        return None
    return _trials(doc, ctx, "antidepressant")


_OFF_LABEL_SOURCES = {
    "ocd": ("rodriguez_2013", "bloch_2012"),
    "bipolar_depression": ("diazgranados_2010", "apa_ketamine_2017"),
}


@_flag(
    "off_label",
    ("spravato_pi",),
    "What is known about ketamine treatment for what you most want help with",
)
def _off_label(doc: dict, ctx: _Context) -> _Found | None:
    """| off_label | info | primary is not depression |"""
    primary = _ev(doc, "conditions.primary_concern")
    # Literal reading: bipolar_depression is "not depression", so it raises off_label too.
    if primary.value == "depression":
        return None
    label = _label(primary.path, primary.value)
    detail = f"Primary concern: {label} (not depression)."
    title = f"Off-label: primary concern is {label}"
    return _Found("info", title, detail, [primary], _OFF_LABEL_SOURCES.get(primary.value, ()))


@_flag("answer_conflict", ("clinic_policy",), "A few answers your clinician would like to check")
def _answer_conflict(doc: dict, ctx: _Context) -> _Found | None:
    """| answer_conflict | info | bipolar in conditions.diagnosed and mania_history = no; or
    erp = completed and erp_sessions < 6; detail names each conflict |"""
    evidence: list[Evidence] = []
    conflicts: list[str] = []
    mania = _ev(doc, "safety.mania_history")
    diagnosed = _listed(doc, "conditions.diagnosed", {"bipolar"})
    if diagnosed and mania.value == "no":
        evidence += [*diagnosed, mania]
        conflicts.append(f"Bipolar disorder reported as diagnosed, but {_said(mania)}")
    erp, sessions = _ev(doc, "therapy.erp"), _ev(doc, "therapy.erp_sessions")
    # 6 is written into the FLAGS.md row itself, not a clinic threshold: deliberately literal.
    if erp.value == "completed" and sessions.value is not None and sessions.value < 6:
        evidence += [erp, sessions]
        conflicts.append(f"ERP course reported as completed with {sessions.value} sessions")
    title = "Answers that disagree with each other"
    return _Found("info", title, "; ".join(conflicts) + ".", evidence) if conflicts else None


@_flag("cost_concern", ("clinic_policy",), "Cost and payment")
def _cost_concern(doc: dict, ctx: _Context) -> _Found | None:
    """| cost_concern | info | cost_concern is some or major, or payment = unsure |"""
    cost, payment = _ev(doc, "practical.cost_concern"), _ev(doc, "practical.payment")
    found = [cost] if cost.value in ("some", "major") else []
    found += [payment] if payment.value == "unsure" else []
    return _Found("info", "Cost or payment concern", _all_said(found), found) if found else None


@_flag("transport", ("spravato_pi", "clinic_policy"), "Getting home after each treatment")
def _transport(doc: dict, ctx: _Context) -> _Found | None:
    """| transport | info | has_driver is no or unsure |"""
    title = "Ride home after treatment not confirmed"
    return _answer_in(doc, "info", title, "practical.has_driver", {"no", "unsure"})


@_flag("schedule", ("clinic_policy",), "The treatment schedule")
def _schedule(doc: dict, ctx: _Context) -> _Found | None:
    """| schedule | info | schedule_ok is no or unsure |"""
    title = "Attending the first course of sessions not confirmed"
    return _answer_in(doc, "info", title, "practical.schedule_ok", {"no", "unsure"})


@_flag(
    "outside_service_area", ("clinic_policy",), "Where you live and where the clinic offers care"
)
def _outside_service_area(doc: dict, ctx: _Context) -> _Found | None:
    """| outside_service_area | info | SERVED_REGIONS is not empty and region is not in it |"""
    served, region = ctx.thresholds.served_regions, _ev(doc, "about.region")
    if not served or region.value in served:
        return None
    detail = f"{_said(region)} ({region.value}); regions served: {', '.join(served)}."
    return _Found("info", "Lives outside the regions the clinic serves", detail, [region])


RULES: tuple[Rule, ...] = (
    _suicide_risk,
    _mania_or_psychosis_now,
    _vascular_history,
    _ketamine_allergy,
    _pregnancy,
    _under_18,
    _blood_pressure,
    _bp_unknown,
    _substance_use,
    _cardiovascular_history,
    _psychosis_history,
    _bipolar,
    _sedating_medication,
    _pressor_medication,
    _other_medical,
    _severe_depression_score,
    _not_determined,
    _sri_trials,
    _erp_course,
    _antidepressant_trials,
    _off_label,
    _answer_conflict,
    _cost_concern,
    _transport,
    _schedule,
    _outside_service_area,
)
FLAG_IDS: tuple[str, ...] = tuple(rule.flag_id for rule in RULES)  # type: ignore[attr-defined]


# --- Public entry points ------------------------------------------------------------------------


def flags_for(doc: dict, as_of: date, thresholds: Thresholds) -> list[Flag]:
    """The flags for a validated document, by level (urgent first) then FLAGS.md table order."""
    ctx = _Context(as_of, thresholds)
    found = [flag for rule in RULES if (flag := rule(doc, ctx)) is not None]
    return sorted(found, key=lambda flag: -LEVEL_RANK[flag.level])  # stable: keeps table order


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


def evaluate(doc: dict, as_of: date, thresholds: Thresholds) -> Evaluation:
    """Flags and scores for one validated canonical answer document."""
    return Evaluation(tuple(flags_for(doc, as_of, thresholds)), scores_for(doc, thresholds))
