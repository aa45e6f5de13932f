"""What the clinician's pages show of one submission, gathered from the stored answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import rules
from ..models import Submission
from ..questionnaire.catalogue import MEDICATIONS
from ..questionnaire.schema import QUESTIONS_BY_PATH, TRIAL_OUTCOME
from ..questionnaire.types import get
from ..questionnaire.words import LANGUAGE_NAMES, document_language
from ..summary import (
    DATE_OF_BIRTH,
    PERSON_NAME,
    answer_sections,
    evidence_text,
    path_label,
    score_rows,
)

ADEQUACY_LABELS = {
    "adequate": "Adequate",
    "inadequate": "Not adequate",
    "undetermined": "Undetermined (dose or duration not given)",
    "not_tolerated": "Not tolerated",
}
CLASS_LABELS = {
    "ssri": "SSRI",
    "tca_sri": "TCA (SRI)",
    "snri": "SNRI",
    "tca": "TCA",
    "maoi": "MAOI",
    "other_antidepressant": "Other antidepressant",
}
OWN_WORDS = ("conditions.other_text", "medical.other_medications_text", "notes")


@dataclass(frozen=True)
class TrialRow:
    number: int
    medication: str
    drug_class: str
    dose: str
    weeks: str
    outcome: str
    current: str
    adequacy: str
    rule: str


def trial_rows(trials: list[dict[str, Any]], thresholds: rules.Thresholds) -> list[TrialRow]:
    """Each medication trial with its adequacy per FLAGS.md (SRI rule for SRIs)."""
    rows = []
    for number, trial in enumerate(trials, start=1):
        medication = MEDICATIONS[trial["medication"]]
        kind = "sri" if medication.is_sri else "antidepressant"
        adequacy = rules.trial_adequacy(trial, thresholds, kind=kind)
        target = thresholds.ocd_target_doses.get(medication.key)
        if kind == "sri":
            rule = f"SRI: ≥ {thresholds.adequate_sri_weeks} weeks" + (
                f" and ≥ {target:g} mg/day" if target else ""
            )
        else:
            rule = f"Antidepressant: ≥ {thresholds.adequate_antidepressant_weeks} weeks"
        dose = trial.get("max_daily_dose_mg")
        weeks = trial.get("duration_weeks")
        rows.append(
            TrialRow(
                number=number,
                medication=medication.label,
                drug_class=CLASS_LABELS[medication.drug_class],
                dose="not given" if dose is None else f"{dose:g} mg",
                weeks="not given" if weeks is None else str(weeks),
                outcome=TRIAL_OUTCOME.choice_label(trial["outcome"]),
                current="Yes" if trial.get("current") else "No",
                adequacy=ADEQUACY_LABELS[adequacy],
                rule=rule,
            )
        )
    return rows


# Short citations for a flag's sources, with the full reference (FLAGS.md, "Sources").
SOURCES: dict[str, tuple[str, str]] = {
    "spravato_pi": (
        "Spravato PI",
        "SPRAVATO (esketamine) US Prescribing Information, Janssen",
    ),
    "apa_ketamine_2017": (
        "Sanacora 2017",
        "Sanacora G. et al., A consensus statement on the use of ketamine in the treatment of "
        "mood disorders, JAMA Psychiatry 2017;74(4):399–405",
    ),
    "apa_ocd_2007": (
        "APA OCD guideline 2007",
        "Koran L.M. et al., APA Practice Guideline for the Treatment of Patients With OCD, 2007",
    ),
    "rodriguez_2013": (
        "Rodriguez 2013",
        "Rodriguez C.I. et al., Neuropsychopharmacology 2013;38:2475–83",
    ),
    "bloch_2012": ("Bloch 2012", "Bloch M.H. et al., Biol Psychiatry 2012;72:964–70"),
    "diazgranados_2010": (
        "Diazgranados 2010",
        "Diazgranados N. et al., Arch Gen Psychiatry 2010;67:793–802",
    ),
    "phq9": ("PHQ-9", "Patient Health Questionnaire-9 (Kroenke, Spitzer and Williams 2001)"),
    "gad7": ("GAD-7", "Generalized Anxiety Disorder-7 (Spitzer et al. 2006)"),
    "pcl5": ("PCL-5", "PTSD Checklist for DSM-5 (Weathers et al. 2013)"),
    "clinic_policy": ("Clinic policy", "The clinic's own thresholds, from its configuration"),
}


def citations(sources: list[str]) -> list[tuple[str, str]]:
    """(short citation, full reference) for each source id; an unknown id stands for itself."""
    return [SOURCES.get(source, (source, source)) for source in sources]


def flag_views(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored flags with their evidence in words and their sources as citations."""
    return [
        {
            **flag,
            "citations": citations(flag.get("sources") or []),
            "evidence_rows": [
                (path_label(e["path"]), evidence_text(e["path"], e["value"]))
                for e in flag["evidence"]
            ],
        }
        for flag in flags
    ]


def current_rules_flags(submission: Submission, thresholds: rules.Thresholds) -> list | None:
    """The current rules' flags when the stored ones came from another rules version."""
    if submission.rules_version == rules.RULES_VERSION:
        return None
    evaluation = rules.evaluate(submission.answers, submission.created_at.date(), thresholds)
    return flag_views([flag.to_dict() for flag in evaluation.flags])


def own_words(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Free text the patient wrote, labelled."""
    found = []
    for path in OWN_WORDS:
        section, _, key = path.partition(".")
        value = answers.get(section, {}).get(key) if key else answers.get(section)
        if value:
            found.append((QUESTIONS_BY_PATH[path].short, value))
    return found


def submission_context(submission: Submission, thresholds: rules.Thresholds) -> dict[str, Any]:
    """Everything the submission page and the visit summary show."""
    answers = submission.answers
    return {
        "flags": flag_views(submission.flags),
        "current_flags": current_rules_flags(submission, thresholds),
        "scores": score_rows(submission.scores, answers),
        "language": LANGUAGE_NAMES[document_language(answers)],
        "trials": trial_rows(answers.get("medication_trials") or [], thresholds),
        "sections": answer_sections(answers, items=True),
        "brief_sections": answer_sections(answers, items=False, brief=True),
        "own_words": own_words(answers),
        "patient_name": get(answers, PERSON_NAME.path),
        "date_of_birth": get(answers, DATE_OF_BIRTH.path),
    }
