"""Flags of FLAGS.md rows 18 to 22: treatments tried (SRI and antidepressant trials, ERP),
off-label use and answers that disagree."""

from __future__ import annotations

from ..questionnaire.types import get
from ..questionnaire.words import N_
from .adequacy import FAILED_OUTCOMES, is_sri, trial_adequacy
from .base import (
    Context,
    Evidence,
    Found,
    Rule,
    ev,
    flag,
    label_of,
    listed,
    said,
)
from .levels import Level


def _trials(doc: dict, ctx: Context, kind: str) -> Found | None:
    """sri_trials and antidepressant_trials: fewer than 2 failed adequate trials of the kind."""
    trials = enumerate(get(doc, "medication_trials") or [])
    rows = [(i, trial) for i, trial in trials if kind == "antidepressant" or is_sri(trial)]
    adequacy = [trial_adequacy(trial, ctx.thresholds, kind=kind) for _, trial in rows]
    failed = sum(
        a == "adequate" and trial.get("outcome") in FAILED_OUTCOMES
        for a, (_, trial) in zip(adequacy, rows, strict=True)
    )
    if failed >= 2:
        return None
    primary = ev(doc, "conditions.primary_concern")
    evidence = [primary] + [Evidence(f"medication_trials[{i}]", dict(trial)) for i, trial in rows]
    name, t = ("SRI" if kind == "sri" else "antidepressant"), ctx.thresholds
    detail = (
        f"Primary concern: {label_of(primary.path, primary.value)}. "
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
    return Found(Level.INFO, f"Fewer than 2 failed adequate {name} trials", detail, evidence)


@flag("sri_trials", ("apa_ocd_2007", "clinic_policy"), N_("The OCD medicines you have tried"))
def _sri_trials(doc: dict, ctx: Context) -> Found | None:
    """| sri_trials | info | primary = ocd and fewer than 2 failed adequate SRI trials; detail
    gives counts of failed adequate, undetermined and not-tolerated SRI trials, and whether
    clomipramine was tried |"""
    return _trials(doc, ctx, "sri") if get(doc, "conditions.primary_concern") == "ocd" else None


@flag(
    "erp_course",
    ("apa_ocd_2007", "clinic_policy"),
    N_("Exposure and response prevention (ERP) therapy"),
)
def _erp_course(doc: dict, ctx: Context) -> Found | None:
    """| erp_course | info | primary = ocd, and not (erp = completed and (erp_sessions is null or
    erp_sessions ≥ ADEQUATE_ERP_SESSIONS)) |"""
    if get(doc, "conditions.primary_concern") != "ocd":
        return None
    erp, sessions = ev(doc, "therapy.erp"), ev(doc, "therapy.erp_sessions")
    minimum = ctx.thresholds.adequate_erp_sessions
    if erp.value == "completed" and (sessions.value is None or sessions.value >= minimum):
        return None
    evidence = [ev(doc, "conditions.primary_concern"), erp]
    detail = f"Primary concern: OCD; {said(erp)}"
    if erp.value == "completed":
        evidence.append(sessions)
        detail += f"; {sessions.value} sessions (fewer than {minimum})"
    elif sessions.value is not None:
        detail += f"; {said(sessions)}"  # context: sessions of a course not completed
    title = f"No completed ERP course of {minimum} or more sessions reported"
    return Found(Level.INFO, title, detail + ".", evidence)


@flag(
    "antidepressant_trials",
    ("apa_ketamine_2017", "clinic_policy"),
    N_("The antidepressants you have tried"),
)
def _antidepressant_trials(doc: dict, ctx: Context) -> Found | None:
    """| antidepressant_trials | info | primary is depression or bipolar_depression, and fewer
    than 2 failed adequate antidepressant trials; detail gives counts as for sri_trials |"""
    if get(doc, "conditions.primary_concern") not in ("depression", "bipolar_depression"):
        return None
    return _trials(doc, ctx, "antidepressant")


_OFF_LABEL_SOURCES = {
    "ocd": ("rodriguez_2013", "bloch_2012"),
    "bipolar_depression": ("diazgranados_2010", "apa_ketamine_2017"),
}


@flag(
    "off_label",
    ("spravato_pi",),
    N_("What is known about ketamine treatment for what you most want help with"),
)
def _off_label(doc: dict, ctx: Context) -> Found | None:
    """| off_label | info | primary is not depression |"""
    primary = ev(doc, "conditions.primary_concern")
    # Literal reading: bipolar_depression is "not depression", so it raises off_label too.
    if primary.value == "depression":
        return None
    label = label_of(primary.path, primary.value)
    detail = f"Primary concern: {label} (not depression)."
    title = f"Off-label: primary concern is {label}"
    return Found(Level.INFO, title, detail, [primary], _OFF_LABEL_SOURCES.get(primary.value, ()))


@flag("answer_conflict", ("clinic_policy",), N_("A few answers your clinician would like to check"))
def _answer_conflict(doc: dict, ctx: Context) -> Found | None:
    """| answer_conflict | info | bipolar in conditions.diagnosed and mania_history = no; or
    erp = completed and erp_sessions < 6; detail names each conflict |"""
    evidence: list[Evidence] = []
    conflicts: list[str] = []
    mania = ev(doc, "safety.mania_history")
    diagnosed = listed(doc, "conditions.diagnosed", {"bipolar"})
    if diagnosed and mania.value == "no":
        evidence += [*diagnosed, mania]
        conflicts.append(f"Bipolar disorder reported as diagnosed, but {said(mania)}")
    erp, sessions = ev(doc, "therapy.erp"), ev(doc, "therapy.erp_sessions")
    # 6 is written into the FLAGS.md row itself, not a clinic threshold: deliberately literal.
    if erp.value == "completed" and sessions.value is not None and sessions.value < 6:
        evidence += [erp, sessions]
        conflicts.append(f"ERP course reported as completed with {sessions.value} sessions")
    title = "Answers that disagree with each other"
    return Found(Level.INFO, title, "; ".join(conflicts) + ".", evidence) if conflicts else None


RULES: tuple[Rule, ...] = (
    _sri_trials,
    _erp_course,
    _antidepressant_trials,
    _off_label,
    _answer_conflict,
)
