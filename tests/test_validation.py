"""Every validation rule of QUESTIONNAIRE.md, rejected through a page and through `evaluate`.

One table, one row per rule. Each row changes the worked example in one way; the same change
is given to `flask evaluate` as a document and typed into the page as a person would. Both must
reject it and name the field: `evaluate` with a "path: message" line, the page with a linked
error summary, a message beside the field and every typed value kept.
"""

from __future__ import annotations

import html as html_text
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from screening.questionnaire.schema import QUESTIONS_BY_PATH
from tests.helpers import complete_questionnaire, page_data, post_form, worked_example

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


def _trial(medication: str) -> Doc:
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
         setting(("medication_trials", [_trial("sertraline")] * 16)), "medication_trials",
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


# --- What a person sees ----------------------------------------------------------------------


def field_name_of(path: str) -> str:
    """The form field (and element id) for a problem path: medication_trials[1].outcome ->
    medication_trials-1-outcome."""
    return path.replace(".", "-").replace("[", "-").replace("]", "")


def label_of(path: str) -> str:
    """The words that name the field in messages: its short name, "PHQ-9 question 4",
    "Medicine 2: How it went"."""
    if match := re.fullmatch(r"medication_trials\[(\d+)\]\.(\w+)", path):
        index, key = match.groups()
        short = next(f.short for f in QUESTIONS_BY_PATH["medication_trials"].fields if f.key == key)
        return f"Medicine {int(index) + 1}: {short}"
    if match := re.fullmatch(r"(symptoms\.\w+)\[(\d+)\]", path):
        scale, index = match.groups()
        return f"{QUESTIONS_BY_PATH[scale].short} question {int(index) + 1}"
    return QUESTIONS_BY_PATH[path].short


class ShownForm(HTMLParser):
    """The answers a form shows: text in each box, and which choices are ticked or selected."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.options: dict[str, set[str]] = defaultdict(set)
        self.chosen: dict[str, set[str]] = defaultdict(set)
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        name = attr.get("name")
        if tag == "input" and name and attr.get("type") in ("radio", "checkbox"):
            self.options[name].add(attr.get("value") or "")
            if "checked" in attr:
                self.chosen[name].add(attr.get("value") or "")
        elif tag == "input" and name and attr.get("type") not in ("hidden", "submit"):
            self.text[name] = attr.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            self.options[self._select].add(attr.get("value") or "")
            if "selected" in attr:
                self.chosen[self._select].add(attr.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.text[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.text[self._textarea] += data


def assert_typed_values_kept(html: str, data: dict[str, Any]) -> None:
    """Every answer typed is shown again: text as typed, every offered choice still chosen."""
    shown = ShownForm(html)
    for name, typed in data.items():
        values = typed if isinstance(typed, list) else [typed]
        if name in shown.options:
            # A value the page does not offer (sent by hand) cannot be shown as chosen.
            offered = [v for v in values if v in shown.options[name]]
            assert set(offered) <= shown.chosen[name], f"{name}: {typed!r} not kept"
        else:
            assert shown.text.get(name) == values[0], f"{name}: {typed!r} not kept"


def error_summary(html: str) -> list[tuple[str, str]]:
    """(target, text) of each link in the error summary, in order."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "the page has no error summary"
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', match.group(0))
    return [(target, html_text.unescape(text)) for target, text in links]


def message_beside(html: str, name: str) -> str:
    match = re.search(
        rf'<p class="error-message" id="{re.escape(name)}-error">(.*?)</p>', html, re.S
    )
    assert match, f"no error message beside {name}"
    text = html_text.unescape(re.sub(r"<[^>]+>", "", match.group(1)))
    return text.replace("Error:", "", 1).strip()


def answer_pages_before(client: FlaskClient, doc: Doc, target: str) -> None:
    """Answer each page with the document's answers, in order, until `target` comes next."""
    slug = "start"
    while slug != target:
        response = post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
        assert response.status_code == 302, f"{slug} was not accepted"
        slug = response.headers["Location"].rsplit("/", 1)[-1]
        assert slug != "review", f"{target} never came"


# --- Running `evaluate` ------------------------------------------------------------------------


def evaluate(runner: FlaskCliRunner, tmp_path: Path, text: str, *options: str) -> Any:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["evaluate", str(path), "--as-of", AS_OF, *options])


# --- Each rule through `evaluate` ------------------------------------------------------------


@pytest.mark.parametrize("rule", CASES)
def test_evaluate_rejects(runner: FlaskCliRunner, tmp_path: Path, rule: Case) -> None:
    result = evaluate(runner, tmp_path, json.dumps(document_for(rule)))

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith(f"{rule.path}: {rule.message}")], lines


# --- Each rule through its page ---------------------------------------------------------------


@pytest.mark.parametrize("rule", PAGE_CASES)
def test_page_rejects(client: FlaskClient, rule: Case) -> None:
    answer_pages_before(client, base_document(rule), rule.slug)
    typed = page_data(rule.slug, document_for(rule))

    response = post_form(client, f"/questionnaire/{rule.slug}", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    name, label = field_name_of(rule.path), label_of(rule.path)
    summary = dict(error_summary(html))
    assert name in summary, summary
    assert summary[name].startswith(f"{label}: "), summary[name]
    assert message_beside(html, name) == summary[name]
    assert f'id="{name}"' in html  # the summary link leads to the field
    assert_typed_values_kept(html, typed)


# --- Accepted at the limits ------------------------------------------------------------------

ACCEPTED = [
    pytest.param(setting(("about.date_of_birth", "1906-11-21")), id="age exactly 120"),
    pytest.param(setting(("about.date_of_birth", AS_OF)), id="born on the as-of day"),
    pytest.param(setting(("about.region", "other")), id="region other"),
    pytest.param(setting(OTHER_CHOSEN, ("conditions.other_text", "x" * 200)), id="other_text 200"),
    pytest.param(setting(("symptoms.ybocs_last_score", 0)), id="ybocs 0"),
    pytest.param(setting(("symptoms.ybocs_last_score", 40)), id="ybocs 40"),
    pytest.param(setting(("symptoms.ybocs_last_score", None)), id="ybocs left blank"),
    pytest.param(setting(("medication_trials[0].max_daily_dose_mg", 1000)), id="dose 1000"),
    pytest.param(setting(("medication_trials[0].max_daily_dose_mg", 0.5)), id="dose 0.5"),
    pytest.param(setting(("medication_trials[0].duration_weeks", 0)), id="weeks 0"),
    pytest.param(setting(("medication_trials[0].duration_weeks", 520)), id="weeks 520"),
    pytest.param(setting(("medication_trials", [_trial("sertraline")] * 15)), id="15 medicines"),
    pytest.param(setting(("therapy.erp_sessions", 500)), id="erp_sessions 500"),
    pytest.param(
        setting(("medical.bp_systolic", 60), ("medical.bp_diastolic", 30)), id="bp 60 over 30"
    ),
    pytest.param(
        setting(("medical.bp_systolic", 260), ("medical.bp_diastolic", 160)), id="bp 260 over 160"
    ),
    pytest.param(
        setting(
            ("medical.bp_systolic", None), ("medical.bp_diastolic", None), ("medical.bp_when", None)
        ),
        id="no bp reading",
    ),
    pytest.param(setting(("contact.phone", "555 0100")), id="phone 7 digits"),
    pytest.param(setting(("contact.phone", "+(1) 234.567-890 1234567890")), id="phone 20 digits"),
    pytest.param(setting(("contact.full_name", "A" * 120)), id="full_name 120"),
    pytest.param(setting(("notes", "Line one\nline two" + "x" * 1982)), id="notes 2000"),
]


@pytest.mark.parametrize("change", ACCEPTED)
def test_evaluate_accepts_values_at_the_limits(
    runner: FlaskCliRunner, tmp_path: Path, change: Change
) -> None:
    doc = worked_example()
    change(doc)
    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "scores" in json.loads(result.stdout)


# --- The evaluate command beyond single rules -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("{not json", "document: is not valid JSON", id="invalid JSON"),
        pytest.param("", "document: is not valid JSON", id="empty file"),
        pytest.param("[1, 2]", "document: must be a JSON object", id="a list"),
    ],
)
def test_evaluate_rejects_what_is_not_a_document(
    runner: FlaskCliRunner, tmp_path: Path, text: str, line: str
) -> None:
    result = evaluate(runner, tmp_path, text)

    assert result.exit_code == 2
    assert result.stdout == ""
    [printed] = result.stderr.splitlines()
    assert printed.startswith(line)


def test_evaluate_accepts_a_document_without_contact_notes_or_consent(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    doc = worked_example()
    for section in ("contact", "notes", "consent"):
        del doc[section]

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["scores"]["phq9"] == {"total": 10, "band": "moderate"}


def test_evaluate_still_checks_contact_when_it_is_given(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    doc = worked_example()
    del doc["consent"]
    doc["contact"]["email"] = "not an address"

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "contact.email: must be an email address like name@example.com"
    ]


def test_evaluate_lists_every_problem_one_per_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    doc = worked_example()
    doc["about"]["sex_at_birth"] = None
    doc["medical"]["bp_diastolic"] = 130

    result = evaluate(runner, tmp_path, json.dumps(doc))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "about.sex_at_birth: is required: one of female, male, intersex, prefer_not_to_say",
        "medical.bp_diastolic: must be lower than the systolic value",
    ]


def test_evaluate_jsonl_gives_one_line_per_document_in_order(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    invalid = worked_example()
    invalid["medical"]["bp_diastolic"] = 130
    text = json.dumps(worked_example()) + "\n" + json.dumps(invalid) + "\n"

    result = evaluate(runner, tmp_path, text, "--jsonl")

    assert result.exit_code == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["scores"]["phq9"] == {"total": 10, "band": "moderate"}
    assert second == {"errors": ["medical.bp_diastolic: must be lower than the systolic value"]}


def test_evaluate_jsonl_reports_a_line_that_is_not_json(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    text = "{oops\n" + json.dumps(worked_example()) + "\n"

    result = evaluate(runner, tmp_path, text, "--jsonl")

    assert result.exit_code == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert len(first["errors"]) == 1
    assert first["errors"][0].startswith("document: is not valid JSON")
    assert "scores" in second


# --- Pages beyond single rules ----------------------------------------------------------------


def test_page_lists_every_error_in_page_order(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = {
        "medical-bp_systolic": "300",
        "medical-bp_diastolic": "80",
        "medical-conditions": ["stroke"],
        "medical-other_medications_text": "x" * 1001,
    }

    response = post_form(client, "/questionnaire/health", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_summary(html) == [
        ("medical-bp_systolic", "Blood pressure top number (systolic): "
         "enter a whole number from 60 to 260"),
        ("medical-bp_when", "When the reading was taken: choose one answer"),
        ("medical-hypertension", "High blood pressure: choose one answer"),
        ("medical-bp_medication", "Blood pressure medicine: choose one answer"),
        ("medical-ketamine_allergy", "Allergy to ketamine: choose one answer"),
        ("medical-other_medications_text",
         "Other medicines: use 1000 characters or fewer (you used 1001)"),
    ]  # fmt: skip
    assert "<title>Error: " in html
    assert_typed_values_kept(html, typed)


def test_valid_answer_beside_an_invalid_one_is_kept(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("contact", worked_example())
    typed |= {"contact-full_name": "Sam O'Neil <Sam>", "contact-email": "sam@"}

    response = post_form(client, "/questionnaire/contact", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert [name for name, _ in error_summary(html)] == ["contact-email"]
    assert ShownForm(html).text["contact-full_name"] == "Sam O'Neil <Sam>"
    assert "<Sam>" not in html  # shown as text, never as HTML
    assert_typed_values_kept(html, typed)


def test_nothing_is_saved_when_a_page_has_errors(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("health", worked_example()) | {
        "medical-bp_systolic": "150",
        "medical-bp_diastolic": "170",
        "medical-hypertension": "yes",
    }

    assert post_form(client, "/questionnaire/health", typed).status_code == 422

    shown = ShownForm(client.get("/questionnaire/health").get_data(as_text=True))
    assert shown.text["medical-bp_systolic"] == "124"
    assert shown.text["medical-bp_diastolic"] == "78"
    assert shown.chosen["medical-hypertension"] == {"no"}
    assert client.get("/questionnaire/review").status_code == 200  # still complete


def test_a_typed_medicine_row_is_kept_after_an_error_elsewhere(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("treatments", worked_example())
    typed |= {
        "medication_trials-2-medication": "bupropion",
        "medication_trials-2-max_daily_dose_mg": "12.5",
        "medication_trials-2-outcome": "worse",
        "medication_trials-2-current": "no",
        "therapy-tms": "",
    }

    response = post_form(client, "/questionnaire/treatments", typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert [name for name, _ in error_summary(html)] == ["therapy-tms"]
    assert_typed_values_kept(html, {k: v for k, v in typed.items() if v})


# --- Bugs found while writing these tests, now fixed --------------------------------------


def test_page_scale_answer_that_is_not_a_number_gets_a_message(client: FlaskClient) -> None:
    complete_questionnaire(client, worked_example())
    typed = page_data("mood", worked_example()) | {"symptoms-phq9-3": "²"}

    response = post_form(client, "/questionnaire/mood", typed)

    assert response.status_code == 422
    assert ("symptoms-phq9-3", "PHQ-9 question 4: choose one answer") in error_summary(
        response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    ("path", "value", "accepted"),
    [
        ("about.region", "XX", "code in capitals (such as CA), or other"),
        ("medication_trials[0].medication", "aspirin", "fluoxetine, sertraline"),
    ],
)
def test_evaluate_says_what_a_long_list_accepts(
    runner: FlaskCliRunner, tmp_path: Path, path: str, value: str, accepted: str
) -> None:
    doc = worked_example()
    setting((path, value))(doc)

    result = evaluate(runner, tmp_path, json.dumps(doc))

    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}: must be ")
    assert accepted in line
