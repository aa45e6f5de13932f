"""The validation rules of QUESTIONNAIRE.md as one table: a row per rule, each a change to the
worked example and where the problem must be reported."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers import worked_example

AS_OF = "2026-11-21"
Doc = dict[str, Any]
Change = Callable[[Doc], None]

# --- Changing a document ----------------------------------------------------------------------

STEP = re.compile(r"(\w+)(?:\[(\d+)\])?")


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        key, index = STEP.fullmatch(part).groups()
        steps.append(key)
        if index is not None:
            steps.append(int(index))
    return steps


def setting(*pairs: tuple[str, Any]) -> Change:
    """A change that sets each path ("symptoms.phq9[3]") to its value."""

    def change(doc: Doc) -> None:
        for path, value in pairs:
            *parents, last = _steps(path)
            node: Any = doc
            for step in parents:
                node = node[step]
            node[last] = value

    return change


def removing(path: str) -> Change:
    """A change that leaves the key at `path` out of the document."""

    def change(doc: Doc) -> None:
        *parents, last = _steps(path)
        node: Any = doc
        for step in parents:
            node = node[step]
        del node[last]

    return change


def trial_row(medication: str) -> Doc:
    return {
        "medication": medication,
        "max_daily_dose_mg": None,
        "duration_weeks": None,
        "outcome": "no_change",
        "current": False,
    }


# Documents that show a question the worked example does not ask.
PTSD_MENTIONED = setting(
    ("conditions.diagnosed", ["ocd", "depression", "ptsd"]), ("symptoms.pcl5", [1] * 20)
)
SAFETY_CHECK_ASKED = setting(("symptoms.phq9[8]", 1), ("safety.suicide_plan_or_intent", "no"))
OTHER_CHOSEN = ("conditions.suspected", ["other"])

# --- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One rule: a change to the worked example and where the problem must be reported."""

    slug: str  # the page the question is on
    change: Change
    path: str  # where `evaluate` reports the problem
    message: str  # what `evaluate` says about it (the start of it)
    base: Change | None = None  # makes the worked example ask the question first
    through_page: bool = True  # False: a browser cannot send it (e.g. a hidden question)


def case(name: str, *args: Any, marks: Any = (), **kwargs: Any) -> Any:
    return pytest.param(Case(*args, **kwargs), id=name, marks=marks)


REQUIRED_CHOICE = "is required: one of "
NOT_ASKED = "must be null: not asked when "

CASES = [
    # consent (page 1)
    case("not_diagnostic_ack not true", "start",
         setting(("consent.not_diagnostic_ack", False)),
         "consent.not_diagnostic_ack", "must be true"),
    case("data_use_ack not true", "start",
         setting(("consent.data_use_ack", False)), "consent.data_use_ack", "must be true"),
    # about (page 2)
    case("date_of_birth required", "about",
         setting(("about.date_of_birth", None)), "about.date_of_birth", "is required: a date"),
    case("date_of_birth not a date", "about",
         setting(("about.date_of_birth", "14/03/1988")), "about.date_of_birth",
         "must be a date like 1988-03-14"),
    case("date_of_birth impossible", "about",
         setting(("about.date_of_birth", "2023-02-30")), "about.date_of_birth",
         "must be a date like 1988-03-14"),
    case("date_of_birth in the future", "about",
         setting(("about.date_of_birth", "2999-01-01")), "about.date_of_birth",
         "must not be in the future"),
    case("date_of_birth the day after as-of", "about",
         setting(("about.date_of_birth", "2026-11-22")), "about.date_of_birth",
         "must not be in the future", through_page=False),  # "today" on a page is the real date
    case("age over 120", "about",
         setting(("about.date_of_birth", "1900-01-01")), "about.date_of_birth",
         "must give an age from 0 to 120"),
    case("age 121 on the birthday", "about",
         setting(("about.date_of_birth", "1905-11-21")), "about.date_of_birth",
         "must give an age from 0 to 120", through_page=False),
    case("sex_at_birth required", "about",
         setting(("about.sex_at_birth", None)), "about.sex_at_birth", REQUIRED_CHOICE),
    case("sex_at_birth unknown", "about",
         setting(("about.sex_at_birth", "unknown")), "about.sex_at_birth", "must be one of "),
    case("pregnancy required when not male", "about",
         setting(("about.pregnancy", None)), "about.pregnancy", REQUIRED_CHOICE),
    case("pregnancy answered when male", "about",
         setting(("about.sex_at_birth", "male"), ("about.pregnancy", "none")),
         "about.pregnancy", NOT_ASKED + "sex at birth is male", through_page=False),
    case("region required", "about",
         setting(("about.region", None)), "about.region", "is required"),
    case("region unknown", "about",
         setting(("about.region", "XX")), "about.region", "must be "),
    case("region lower-case", "about",
         setting(("about.region", "ca")), "about.region", "must be "),
    # conditions (page 3)
    case("diagnosed unknown value", "conditions",
         setting(("conditions.diagnosed", ["ocd", "psychosis"])), "conditions.diagnosed",
         "must be a list of any of ocd, depression, bipolar, ptsd, anxiety, other (not psychosis)"),
    case("diagnosed twice", "conditions",
         setting(("conditions.diagnosed", ["ocd", "ocd"])), "conditions.diagnosed",
         "must not list the same answer twice"),
    case("diagnosed and suspected", "conditions",
         setting(("conditions.suspected", ["ocd", "anxiety"])), "conditions.suspected",
         "a condition may not be both diagnosed and suspected (Obsessive-compulsive disorder"),
    case("primary_concern required", "conditions",
         setting(("conditions.primary_concern", None)), "conditions.primary_concern",
         REQUIRED_CHOICE),
    case("other_text required when other chosen", "conditions",
         setting(OTHER_CHOSEN), "conditions.other_text", "is required: text of up to 200"),
    case("other_text required when other is the concern", "conditions",
         setting(("conditions.primary_concern", "other")), "conditions.other_text",
         "is required: text of up to 200"),
    case("other_text over 200 characters", "conditions",
         setting(OTHER_CHOSEN, ("conditions.other_text", "x" * 201)), "conditions.other_text",
         "must be 200 characters or fewer (it has 201)"),
    case("other_text with a tab", "conditions",
         setting(OTHER_CHOSEN, ("conditions.other_text", "Skin\tpicking")),
         "conditions.other_text", "must not contain tabs or other control characters"),
    case("other_text when other not chosen", "conditions",
         setting(("conditions.other_text", "Skin picking")), "conditions.other_text",
         NOT_ASKED + "'other' is not chosen", through_page=False),
    # symptoms (pages 4, 5)
    case("phq9 question missing", "mood",
         setting(("symptoms.phq9[3]", None)), "symptoms.phq9[3]", "is required: choose 0 to 3"),
    case("phq9 answer 4", "mood",
         setting(("symptoms.phq9[3]", 4)), "symptoms.phq9[3]",
         "must be a whole number from 0 to 3"),
    case("phq9 wrong length", "mood",
         setting(("symptoms.phq9", [1] * 8)), "symptoms.phq9",
         "must be an answer to each of the 9 questions", through_page=False),
    case("gad7 question missing", "mood",
         setting(("symptoms.gad7[6]", None)), "symptoms.gad7[6]", "is required: choose 0 to 3"),
    case("pcl5 null when PTSD mentioned", "symptoms",
         setting(("symptoms.pcl5", None)), "symptoms.pcl5", "is required: an answer to each",
         base=PTSD_MENTIONED, through_page=False),  # the page asks each question (next row)
    case("pcl5 question missing", "symptoms",
         setting(("symptoms.pcl5[0]", None)), "symptoms.pcl5[0]", "is required: choose 0 to 4",
         base=PTSD_MENTIONED),
    case("pcl5 answer 5", "symptoms",
         setting(("symptoms.pcl5[19]", 5)), "symptoms.pcl5[19]",
         "must be a whole number from 0 to 4", base=PTSD_MENTIONED),
    case("pcl5 given when PTSD not mentioned", "symptoms",
         setting(("symptoms.pcl5", [1] * 20)), "symptoms.pcl5",
         NOT_ASKED + "PTSD is not mentioned", through_page=False),
    case("ocd_time_per_day required", "symptoms",
         setting(("symptoms.ocd_time_per_day", None)), "symptoms.ocd_time_per_day",
         REQUIRED_CHOICE),
    case("ybocs 41", "symptoms",
         setting(("symptoms.ybocs_last_score", 41)), "symptoms.ybocs_last_score",
         "must be a whole number from 0 to 40"),
    case("ybocs -1", "symptoms",
         setting(("symptoms.ybocs_last_score", -1)), "symptoms.ybocs_last_score",
         "must be a whole number from 0 to 40"),
    case("ybocs not a number", "symptoms",
         setting(("symptoms.ybocs_last_score", "abc")), "symptoms.ybocs_last_score",
         "must be a whole number from 0 to 40"),
    # safety (pages 4a, 7)
    case("suicide_plan_or_intent required when phq9 item 9 is 1", "safety-check",
         setting(("safety.suicide_plan_or_intent", None)), "safety.suicide_plan_or_intent",
         "is required: one of yes, no", base=SAFETY_CHECK_ASKED),
    case("suicide_plan_or_intent when phq9 item 9 is 0", "safety-check",
         setting(("safety.suicide_plan_or_intent", "no")), "safety.suicide_plan_or_intent",
         NOT_ASKED + "PHQ-9 question 9 was not answered 1, 2 or 3", through_page=False),
    *(
        case(f"{key} required", "mood-history", setting((f"safety.{key}", None)),
             f"safety.{key}", REQUIRED_CHOICE)
        for key in ("suicide_attempt_history", "psychosis_history", "psychosis_current",
                    "family_psychosis", "mania_history", "mania_current", "substance_use",
                    "ketamine_misuse")
    ),
    case("mood_stabilizers unknown value", "mood-history",
         setting(("safety.mood_stabilizers", ["lithium", "aspirin"])), "safety.mood_stabilizers",
         "must be a list of any of "),
    # medication_trials (page 6)
    case("more than 15 medicines", "treatments",
         setting(("medication_trials", [trial_row("sertraline")] * 16)), "medication_trials",
         "must have at most 15 entries", through_page=False),
    case("medicine required", "treatments",
         setting(("medication_trials[0].medication", None)), "medication_trials[0].medication",
         "is required"),
    case("medicine unknown", "treatments",
         setting(("medication_trials[1].medication", "aspirin")),
         "medication_trials[1].medication", "must be "),
    case("dose 0", "treatments",
         setting(("medication_trials[0].max_daily_dose_mg", 0)),
         "medication_trials[0].max_daily_dose_mg", "must be a number more than 0 and up to 1000"),
    case("dose 1001", "treatments",
         setting(("medication_trials[0].max_daily_dose_mg", 1001)),
         "medication_trials[0].max_daily_dose_mg", "must be a number more than 0 and up to 1000"),
    case("dose not a number", "treatments",
         setting(("medication_trials[1].max_daily_dose_mg", "abc")),
         "medication_trials[1].max_daily_dose_mg", "must be a number more than 0 and up to 1000"),
    case("weeks -1", "treatments",
         setting(("medication_trials[0].duration_weeks", -1)),
         "medication_trials[0].duration_weeks", "must be a whole number from 0 to 520"),
    case("weeks 521", "treatments",
         setting(("medication_trials[0].duration_weeks", 521)),
         "medication_trials[0].duration_weeks", "must be a whole number from 0 to 520"),
    case("weeks 2.5", "treatments",
         setting(("medication_trials[1].duration_weeks", 2.5)),
         "medication_trials[1].duration_weeks", "must be a whole number from 0 to 520"),
    case("outcome required", "treatments",
         setting(("medication_trials[1].outcome", None)), "medication_trials[1].outcome",
         REQUIRED_CHOICE),
    case("current required", "treatments",
         setting(("medication_trials[0].current", None)), "medication_trials[0].current",
         "is required: yes or no"),
    case("current not true or false", "treatments",
         setting(("medication_trials[0].current", "maybe")), "medication_trials[0].current",
         "must be yes or no (true or false)", through_page=False),
    case("medicine row with an unknown key", "treatments",
         setting(("medication_trials[0].brand", "Zoloft")), "medication_trials[0].brand",
         "is not a known key", through_page=False),
    # therapy (page 6)
    case("erp required", "treatments",
         setting(("therapy.erp", None), ("therapy.erp_sessions", None),
                 ("therapy.erp_specialist", None)),
         "therapy.erp", REQUIRED_CHOICE),
    case("erp_sessions 501", "treatments",
         setting(("therapy.erp_sessions", 501)), "therapy.erp_sessions",
         "must be a whole number from 0 to 500"),
    case("erp_sessions when erp never", "treatments",
         setting(("therapy.erp", "never"), ("therapy.erp_specialist", None)),
         "therapy.erp_sessions", NOT_ASKED + "ERP was not started or completed",
         through_page=False),
    case("erp_specialist when erp never", "treatments",
         setting(("therapy.erp", "never"), ("therapy.erp_sessions", None)),
         "therapy.erp_specialist", NOT_ASKED + "ERP was not started or completed",
         through_page=False),
    case("tms required", "treatments",
         setting(("therapy.tms", None)), "therapy.tms", REQUIRED_CHOICE),
    case("ketamine_before required", "treatments",
         setting(("therapy.ketamine_before", None)), "therapy.ketamine_before", REQUIRED_CHOICE),
    case("ketamine_response required when ketamine tried", "treatments",
         setting(("therapy.ketamine_before", "iv_ketamine")), "therapy.ketamine_response",
         REQUIRED_CHOICE),
    case("ketamine_response when ketamine never", "treatments",
         setting(("therapy.ketamine_response", "helped")), "therapy.ketamine_response",
         NOT_ASKED + "ketamine was never tried", through_page=False),
    # medical (page 8)
    case("bp_systolic 59", "health",
         setting(("medical.bp_systolic", 59), ("medical.bp_diastolic", 40)),
         "medical.bp_systolic", "must be a whole number from 60 to 260"),
    case("bp_systolic 261", "health",
         setting(("medical.bp_systolic", 261)), "medical.bp_systolic",
         "must be a whole number from 60 to 260"),
    case("bp_diastolic 29", "health",
         setting(("medical.bp_diastolic", 29)), "medical.bp_diastolic",
         "must be a whole number from 30 to 160"),
    case("bp_diastolic 161", "health",
         setting(("medical.bp_systolic", 200), ("medical.bp_diastolic", 161)),
         "medical.bp_diastolic", "must be a whole number from 30 to 160"),
    # both numbers or neither: the problem is on the number that is missing
    case("bp bottom number without the top", "health",
         setting(("medical.bp_systolic", None)), "medical.bp_systolic",
         "give both numbers of the reading, or neither"),
    case("bp top number without the bottom", "health",
         setting(("medical.bp_diastolic", None)), "medical.bp_diastolic",
         "give both numbers of the reading, or neither"),
    case("bp_diastolic equal to systolic", "health",
         setting(("medical.bp_diastolic", 124)), "medical.bp_diastolic",
         "must be lower than the systolic value"),
    case("bp_diastolic above systolic", "health",
         setting(("medical.bp_systolic", 100), ("medical.bp_diastolic", 130)),
         "medical.bp_diastolic", "must be lower than the systolic value"),
    case("bp_when required with a reading", "health",
         setting(("medical.bp_when", None)), "medical.bp_when", REQUIRED_CHOICE),
    case("bp_when without a reading", "health",
         setting(("medical.bp_systolic", None), ("medical.bp_diastolic", None)),
         "medical.bp_when", NOT_ASKED + "no blood pressure reading is given",
         through_page=False),
    case("hypertension required", "health",
         setting(("medical.hypertension", None)), "medical.hypertension", REQUIRED_CHOICE),
    case("bp_medication required", "health",
         setting(("medical.bp_medication", None)), "medical.bp_medication", REQUIRED_CHOICE),
    case("ketamine_allergy required", "health",
         setting(("medical.ketamine_allergy", None)), "medical.ketamine_allergy",
         REQUIRED_CHOICE),
    case("medical conditions unknown value", "health",
         setting(("medical.conditions", ["stroke", "broken_leg"])), "medical.conditions",
         "must be a list of any of "),
    case("current_medications unknown value", "health",
         setting(("medical.current_medications", ["opioid", "aspirin"])),
         "medical.current_medications", "must be a list of any of "),
    case("other_medications_text over 1000 characters", "health",
         setting(("medical.other_medications_text", "x" * 1001)),
         "medical.other_medications_text", "must be 1000 characters or fewer (it has 1001)"),
    # practical (page 9)
    *(
        case(f"{key} required", "practical", setting((f"practical.{key}", None)),
             f"practical.{key}", REQUIRED_CHOICE)
        for key in ("cost_concern", "payment", "has_driver", "schedule_ok")
    ),
    case("insurance_name over 120 characters", "practical",
         setting(("practical.insurance_name", "x" * 121)), "practical.insurance_name",
         "must be 120 characters or fewer (it has 121)"),
    # contact and notes (page 10)
    case("full_name required", "contact",
         setting(("contact.full_name", None)), "contact.full_name", "is required: text"),
    case("full_name only spaces", "contact",
         setting(("contact.full_name", "   ")), "contact.full_name", "is required: text"),
    case("full_name over 120 characters", "contact",
         setting(("contact.full_name", "A" * 121)), "contact.full_name",
         "must be 120 characters or fewer (it has 121)"),
    case("email required", "contact",
         setting(("contact.email", None)), "contact.email", "is required: an email address"),
    case("email invalid", "contact",
         setting(("contact.email", "alex.example.org")), "contact.email",
         "must be an email address like name@example.com"),
    case("phone with 6 digits", "contact",
         setting(("contact.phone", "555 010")), "contact.phone",
         "must be a phone number of 7 to 20 digits"),
    case("phone with 21 digits", "contact",
         setting(("contact.phone", "+1 " + "2" * 20)), "contact.phone",
         "must be a phone number of 7 to 20 digits"),
    case("phone with letters", "contact",
         setting(("contact.phone", "555-CALL-NOW")), "contact.phone",
         "must be a phone number of 7 to 20 digits"),
    case("phone calls without a phone number", "contact",
         setting(("contact.phone", None), ("contact.preferred_contact", "phone")),
         "contact.phone", "is required: a phone number"),
    case("text messages without a phone number", "contact",
         setting(("contact.phone", None), ("contact.preferred_contact", "text")),
         "contact.phone", "is required: a phone number"),
    case("preferred_contact required", "contact",
         setting(("contact.preferred_contact", None)), "contact.preferred_contact",
         REQUIRED_CHOICE),
    case("notes over 2000 characters", "contact",
         setting(("notes", "x" * 2001)), "notes", "must be 2000 characters or fewer (it has 2001)"),
    case("notes with a tab", "contact",
         setting(("notes", "Line one\n\tindented")), "notes",
         "must not contain tabs or other control characters"),
    # the document as a whole: only a file can get these wrong
    case("unknown top-level key", "start",
         setting(("extra", "hello")), "extra", "is not a known key", through_page=False),
    case("unknown nested key", "about",
         setting(("about.nickname", "Al")), "about.nickname", "is not a known key",
         through_page=False),
    case("section missing", "health",
         removing("medical"), "medical", "is missing", through_page=False),
    case("questionnaire_version 2", "start",
         setting(("questionnaire_version", 2)), "questionnaire_version", "must be 1",
         through_page=False),
    case("questionnaire_version true", "start",
         setting(("questionnaire_version", True)), "questionnaire_version", "must be 1",
         through_page=False),
]  # fmt: skip

PAGE_CASES = [c for c in CASES if c.values[0].through_page]


def document_for(rule: Case) -> Doc:
    """The worked example with the rule's question asked and then answered wrongly."""
    doc = worked_example()
    if rule.base:
        rule.base(doc)
    rule.change(doc)
    return doc


def base_document(rule: Case) -> Doc:
    doc = worked_example()
    if rule.base:
        rule.base(doc)
    return doc
