"""The screening questionnaire, version 1 (QUESTIONNAIRE.md): every page and question, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..rules.thresholds import Thresholds
from . import instruments
from .catalogue import MEDICATIONS, US_REGIONS
from .conditions import answer_in, answer_not_in, answered, any_answer_in, item_at_least
from .types import (
    Choice,
    Document,
    Kind,
    Page,
    Question,
    answer,
    answers,
    get,
)

Q = Question
K = Kind


def choices(*pairs: tuple[str, str] | tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*pair) for pair in pairs)


YES_NO_UNSURE = choices(("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))
YES_NO = choices(("yes", "Yes"), ("no", "No"))

# --- Conditions the branching depends on ---------------------------------------------------

CONDITION_CHOICES = choices(
    ("ocd", "Obsessive-compulsive disorder (OCD)"),
    ("depression", "Depression"),
    ("bipolar", "Bipolar disorder"),
    ("ptsd", "Post-traumatic stress disorder (PTSD)"),
    ("anxiety", "Anxiety"),
    ("other", "Something else"),
)


# The primary concern is one of the conditions, except that bipolar disorder is asked about as
# depression with bipolar disorder (it counts as bipolar when "mentioned" is decided).
PRIMARY_CONCERN_CHOICES = tuple(
    Choice("bipolar_depression", "Depression with bipolar disorder")
    if choice.value == "bipolar"
    else choice
    for choice in CONDITION_CHOICES
)
CONDITION_LABELS = {choice.value: choice.label for choice in CONDITION_CHOICES}


def mentioned(doc: Document, condition: str) -> bool:
    """C is diagnosed, suspected or the primary concern (bipolar_depression counts as bipolar)."""
    primary = answer(doc, "conditions.primary_concern")
    if primary == "bipolar_depression":
        primary = "bipolar"
    return (
        condition in answers(doc, "conditions.diagnosed")
        or condition in answers(doc, "conditions.suspected")
        or primary == condition
    )


MENTION_PATHS = ("conditions.diagnosed", "conditions.suspected", "conditions.primary_concern")
OCD_MENTIONED = any_answer_in(MENTION_PATHS, {"ocd"}, "OCD is not mentioned", live=False)
PTSD_MENTIONED = any_answer_in(MENTION_PATHS, {"ptsd"}, "PTSD is not mentioned", live=False)
SYMPTOMS_PAGE_SHOWN = any_answer_in(
    MENTION_PATHS, {"ocd", "ptsd"}, "neither OCD nor PTSD is mentioned", live=False
)
SAFETY_CHECK_SHOWN = item_at_least(
    "symptoms.phq9", 8, 1, "PHQ-9 question 9 was not answered 1, 2 or 3"
)
OTHER_CHOSEN = any_answer_in(
    MENTION_PATHS, {"other"}, "'other' is not chosen on this page", live=True
)

ERP_TRIED = answer_in("therapy.erp", {"started", "completed"}, "ERP was not started or completed")
KETAMINE_TRIED = answer_in(
    "therapy.ketamine_before", {"iv_ketamine", "esketamine", "other"}, "ketamine was never tried"
)
BP_READING_GIVEN = answered(
    ("medical.bp_systolic", "medical.bp_diastolic"), "no blood pressure reading is given"
)
PHONE_CONTACT = answer_in("contact.preferred_contact", {"phone", "text"}, "")

# --- Cross-field checks ---------------------------------------------------------------------


def _not_also_diagnosed(doc: Document, suspected: Any) -> str | None:
    diagnosed = get(doc, "conditions.diagnosed")
    if not isinstance(diagnosed, list) or not isinstance(suspected, list):
        return None
    both = [CONDITION_LABELS.get(c, c) for c in suspected if c in diagnosed]
    if both:
        return f"a condition may not be both diagnosed and suspected ({'; '.join(both)})"
    return None


def _bp_other_number(other_path: str) -> Callable[[Document, Any], str | None]:
    """A blood pressure reading has both numbers or neither: this one is missing."""

    def check(doc: Document, value: Any) -> str | None:
        if value is None and get(doc, other_path) is not None:
            return "give both numbers of the reading, or neither"
        return None

    return check


def _bp_diastolic_lower(doc: Document, diastolic: Any) -> str | None:
    systolic = get(doc, "medical.bp_systolic")
    if isinstance(systolic, int) and isinstance(diastolic, int) and diastolic >= systolic:
        return "must be lower than the systolic value"
    return None


# --- The pages ----------------------------------------------------------------------------

CONSENT = Page(
    "start",
    "1",
    "Before you start",
    intro_template="patient/intro/start.html",
    summary_audiences=frozenset({"patient"}),  # the clinician's summary leaves consent out
    questions=(
        Q(
            "consent.not_diagnostic_ack",
            K.ACK,
            "I understand this questionnaire does not diagnose me or decide my treatment. "
            "A clinician will review my answers.",
            "Understanding that this does not diagnose you",
            required=True,
        ),
        Q(
            "consent.data_use_ack",
            K.ACK,
            "I agree that the clinic may store my answers to prepare for my consultation.",
            "Agreement to store your answers",
            required=True,
        ),
    ),
)

ABOUT = Page(
    "about",
    "2",
    "About you",
    questions=(
        Q(
            "about.date_of_birth",
            K.DATE,
            "Date of birth",
            "Date of birth",
            hint="For example, 14 March 1988.",
            required=True,
            autocomplete="bday",
        ),
        Q(
            "about.sex_at_birth",
            K.CHOICE,
            "Sex assigned at birth",
            "Sex assigned at birth",
            hint="Some medicines affect the body differently; this helps your clinician.",
            required=True,
            choices=choices(
                ("female", "Female"),
                ("male", "Male"),
                ("intersex", "Intersex"),
                ("prefer_not_to_say", "Prefer not to say"),
            ),
        ),
        Q(
            "about.pregnancy",
            K.CHOICE,
            "Are you pregnant, planning a pregnancy or breastfeeding?",
            "Pregnancy",
            required=True,
            hint="Skip this if you answered Male above.",
            shown=answer_not_in("about.sex_at_birth", {"male"}, "sex at birth is male"),
            choices=choices(
                ("pregnant", "I am pregnant"),
                ("planning", "I am planning a pregnancy"),
                ("breastfeeding", "I am breastfeeding"),
                ("none", "None of these"),
                ("prefer_not_to_say", "Prefer not to say"),
            ),
        ),
        Q(
            "about.region",
            K.CHOICE,
            "Where do you live?",
            "Where you live",
            required=True,
            hint="Choose your US state or territory, or 'Outside the US'.",
            accepts="a two-letter US state or territory code in capitals (such as CA), or other",
            widget="select",
            choices=(
                *(Choice(code, name) for code, name in US_REGIONS),
                Choice("other", "Outside the US"),
            ),
        ),
    ),
)

CONDITIONS = Page(
    "conditions",
    "3",
    "What brings you here",
    questions=(
        Q(
            "conditions.diagnosed",
            K.MULTI,
            "Conditions a health professional has diagnosed",
            "Diagnosed conditions",
            hint="Tick all that apply, or none.",
            choices=CONDITION_CHOICES,
        ),
        Q(
            "conditions.suspected",
            K.MULTI,
            "Conditions you think you may have, not yet diagnosed",
            "Conditions you think you have",
            hint="Tick all that apply, or none. Do not tick a condition you ticked above.",
            choices=CONDITION_CHOICES,
            checks=(_not_also_diagnosed,),
        ),
        Q(
            "conditions.primary_concern",
            K.CHOICE,
            "What do you most want help with?",
            "What you most want help with",
            required=True,
            choices=PRIMARY_CONCERN_CHOICES,
        ),
        Q(
            "conditions.other_text",
            K.TEXT,
            "Tell us what 'something else' is",
            "What 'something else' is",
            required=True,
            max_length=200,
            hint="Answer if you chose 'Something else' above. Up to 200 characters.",
            shown=OTHER_CHOSEN,
        ),
    ),
)

MOOD = Page(
    "mood",
    "4",
    "Mood and anxiety",
    questions=(
        Q(
            "symptoms.phq9",
            K.SCALE,
            instruments.PHQ9.instruction,
            "PHQ-9",
            required=True,
            instrument=instruments.PHQ9,
        ),
        Q(
            "symptoms.phq9_difficulty",
            K.CHOICE,
            instruments.PHQ9_DIFFICULTY_QUESTION,
            "How difficult these problems made things",
            choices=choices(*instruments.PHQ9_DIFFICULTY_OPTIONS),
        ),
        Q(
            "symptoms.gad7",
            K.SCALE,
            instruments.GAD7.instruction,
            "GAD-7",
            required=True,
            instrument=instruments.GAD7,
        ),
    ),
)

SAFETY_CHECK = Page(
    "safety-check",
    "4a",
    "Safety check",
    shown=SAFETY_CHECK_SHOWN,
    step_of="mood",
    intro_template="patient/intro/safety-check.html",
    crisis_after=answer_in("safety.suicide_plan_or_intent", {"yes"}, "a plan or intention now"),
    questions=(
        Q(
            "safety.suicide_plan_or_intent",
            K.CHOICE,
            "Right now, do you have a plan or intention to act on thoughts of ending your life "
            "or hurting yourself?",
            "Plan or intention",
            required=True,
            shown=SAFETY_CHECK_SHOWN,
            choices=YES_NO,
        ),
    ),
)

SYMPTOMS = Page(
    "symptoms",
    "5",
    "More about your symptoms",
    shown=SYMPTOMS_PAGE_SHOWN,
    intro="These questions help your clinician understand your symptoms.",
    questions=(
        Q(
            "symptoms.ocd_time_per_day",
            K.CHOICE,
            "On a typical day, how much time do obsessions or compulsions take up?",
            "Time taken by obsessions or compulsions",
            required=True,
            shown=OCD_MENTIONED,
            choices=choices(
                ("under_1h", "Less than 1 hour"),
                ("1_to_3h", "1 to 3 hours"),
                ("over_3h", "More than 3 hours"),
                ("unsure", "Not sure"),
            ),
        ),
        Q(
            "symptoms.ybocs_last_score",
            K.INTEGER,
            "If a clinician has measured your Y-BOCS score, what was the most recent score? "
            "(Leave blank if you don't know.)",
            "Most recent Y-BOCS score",
            hint="A whole number from 0 to 40.",
            minimum=0,
            maximum=40,
            shown=OCD_MENTIONED,
        ),
        Q(
            "symptoms.pcl5",
            K.SCALE,
            instruments.PCL5.instruction,
            "PCL-5",
            required=True,
            instrument=instruments.PCL5,
            shown=PTSD_MENTIONED,
        ),
    ),
)

# "Too early to tell" means shorter than an adequate antidepressant trial (FLAGS.md).
ADEQUATE_WEEKS = Thresholds().adequate_antidepressant_weeks

TRIAL_FIELDS = (
    Q(
        "medication",
        K.CHOICE,
        "Medicine",
        "Medicine",
        required=True,
        widget="select",
        choices=tuple(Choice(m.key, m.label) for m in MEDICATIONS.values()),
    ),
    Q(
        "max_daily_dose_mg",
        K.NUMBER,
        "Highest daily dose in mg",
        "Highest daily dose",
        hint="The highest dose you took each day, if you know it.",
        minimum=0,
        exclusive_minimum=True,
        maximum=1000,
    ),
    Q(
        "duration_weeks",
        K.INTEGER,
        "Weeks taken",
        "Weeks taken",
        hint="About how many weeks you took it, if you know.",
        minimum=0,
        maximum=520,
    ),
    Q(
        "outcome",
        K.CHOICE,
        "How did it go?",
        "How it went",
        required=True,
        choices=choices(
            ("helped", "It helped"),
            ("partial", "It helped a little"),
            ("no_change", "No change"),
            ("worse", "I felt worse"),
            ("side_effects", "I stopped because of side effects"),
            ("too_early", f"Too early to tell (started less than {ADEQUATE_WEEKS} weeks ago)"),
        ),
    ),
    Q("current", K.BOOL, "Are you taking it now?", "Taking it now", required=True, choices=YES_NO),
)
TRIAL_OUTCOME = next(field for field in TRIAL_FIELDS if field.key == "outcome")


def trial_text(trial: dict[str, Any]) -> str:
    """One medication trial in a sentence."""
    medication = MEDICATIONS.get(trial.get("medication"))
    parts = [medication.label if medication else str(trial.get("medication"))]
    if trial.get("max_daily_dose_mg") is not None:
        parts.append(f"up to {trial['max_daily_dose_mg']:g} mg a day")
    if trial.get("duration_weeks") is not None:
        parts.append(f"{trial['duration_weeks']} weeks")
    outcome = TRIAL_OUTCOME.choice_label(trial.get("outcome"))
    now = "taking it now" if trial.get("current") else "not taking it now"
    return f"{', '.join(parts)}: {outcome.lower()}; {now}"


TREATMENTS = Page(
    "treatments",
    "6",
    "Treatments you have tried",
    questions=(
        Q(
            "medication_trials",
            K.GROUP,
            "Antidepressant medicines you have taken",
            "Medicines tried",
            max_rows=15,
            fields=TRIAL_FIELDS,
            row_label="Medicine",
            add_row="Add a medicine",
            row_action="trial",
            row_text=trial_text,
            hint="Add one entry for each time you took an antidepressant, up to 15. "
            "Leave this empty if you have never taken one.",
        ),
        Q(
            "therapy.erp",
            K.CHOICE,
            "Have you had exposure and response prevention therapy (ERP)?",
            "ERP therapy",
            required=True,
            hint="ERP is a talking therapy for OCD where you face your fears step by step "
            "without doing the compulsions.",
            choices=choices(
                ("never", "Never"),
                ("started", "I started but stopped before finishing a course"),
                ("completed", "I completed a course"),
                ("unsure", "Not sure"),
            ),
        ),
        Q(
            "therapy.erp_sessions",
            K.INTEGER,
            "About how many ERP sessions did you have?",
            "Number of ERP sessions",
            hint="A whole number, if you know it. Skip it if you did not have ERP.",
            minimum=0,
            maximum=500,
            shown=ERP_TRIED,
        ),
        Q(
            "therapy.erp_specialist",
            K.CHOICE,
            "Was your ERP therapist an OCD specialist?",
            "ERP with a specialist",
            choices=YES_NO_UNSURE,
            shown=ERP_TRIED,
            hint="Skip this if you did not have ERP.",
        ),
        Q(
            "therapy.other_therapy",
            K.MULTI,
            "Other therapy you have had",
            "Other therapy",
            hint="Tick all that apply, or none.",
            choices=choices(
                ("cbt_without_exposure", "CBT without exposure work"),
                ("talk", "Talking therapy or counselling"),
                ("act", "Acceptance and commitment therapy (ACT)"),
                ("dbt", "Dialectical behavior therapy (DBT)"),
                ("other", "Other therapy"),
            ),
        ),
        Q(
            "therapy.tms",
            K.CHOICE,
            "Have you had TMS (transcranial magnetic stimulation)?",
            "TMS",
            required=True,
            choices=choices(("never", "Never"), ("tried", "Yes, I have had TMS")),
        ),
        Q(
            "therapy.ketamine_before",
            K.CHOICE,
            "Have you had ketamine treatment before?",
            "Ketamine treatment before",
            required=True,
            choices=choices(
                ("never", "Never"),
                ("iv_ketamine", "Ketamine through a drip (IV)"),
                ("esketamine", "Esketamine nasal spray (Spravato)"),
                ("other", "Another kind of ketamine treatment"),
            ),
        ),
        Q(
            "therapy.ketamine_response",
            K.CHOICE,
            "How did ketamine treatment go?",
            "How ketamine treatment went",
            required=True,
            shown=KETAMINE_TRIED,
            hint="Skip this if you have never had ketamine treatment.",
            choices=choices(
                ("helped", "It helped"),
                ("partial", "It helped a little"),
                ("no_change", "No change"),
                ("worse", "I felt worse"),
            ),
        ),
    ),
)

MOOD_HISTORY = Page(
    "mood-history",
    "7",
    "Mood history and safety",
    questions=(
        Q(
            "safety.suicide_attempt_history",
            K.CHOICE,
            "Have you ever tried to end your life?",
            "Past suicide attempt",
            required=True,
            choices=choices(
                ("never", "Never"),
                ("more_than_year", "Yes, more than a year ago"),
                ("within_year", "Yes, in the past year"),
                ("prefer_not_to_say", "Prefer not to say"),
            ),
        ),
        Q(
            "safety.psychosis_history",
            K.CHOICE,
            "Have you ever seen or heard things others could not, or held strong beliefs others "
            "said were not real, when not under the influence of drugs or alcohol?",
            "Unusual experiences, ever",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.psychosis_current",
            K.CHOICE,
            "In the past month, have you seen or heard things others could not, or held strong "
            "beliefs others said were not real, when not under the influence of drugs or alcohol?",
            "Unusual experiences, past month",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.family_psychosis",
            K.CHOICE,
            "Has a parent, brother, sister or child been diagnosed with schizophrenia or another "
            "psychotic disorder?",
            "Psychosis in close family",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.mania_history",
            K.CHOICE,
            "Have you ever had a period of several days when you felt unusually high, energetic "
            "or irritable, needed much less sleep than usual, and others noticed a change in you?",
            "Periods of high energy, ever",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.mania_current",
            K.CHOICE,
            "In the past two weeks, have you had a period of several days when you felt unusually "
            "high, energetic or irritable, needed much less sleep than usual, and others noticed "
            "a change in you?",
            "Periods of high energy, past two weeks",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.mood_stabilizers",
            K.MULTI,
            "Do you take any of these now?",
            "Mood stabilizers now",
            hint="Tick all that apply, or none.",
            choices=choices(
                ("lithium", "Lithium"),
                ("valproate", "Valproate (Depakote)"),
                ("lamotrigine", "Lamotrigine (Lamictal)"),
                (
                    "antipsychotic",
                    "An antipsychotic (for example quetiapine, aripiprazole, olanzapine)",
                ),
                ("other", "Another mood stabilizer"),
            ),
        ),
        Q(
            "safety.substance_use",
            K.CHOICE,
            "Have you ever had a problem with alcohol or drug use (including prescription "
            "medicines not taken as prescribed)?",
            "Alcohol or drug use",
            required=True,
            choices=choices(
                ("never", "Never"),
                ("past", "Yes, but not in the last 12 months"),
                ("current", "Yes, in the last 12 months"),
                ("prefer_not_to_say", "Prefer not to say"),
            ),
        ),
        Q(
            "safety.ketamine_misuse",
            K.CHOICE,
            "Have you ever used ketamine, esketamine or PCP outside of medical treatment?",
            "Ketamine or PCP outside treatment",
            required=True,
            choices=choices(
                ("yes", "Yes"), ("no", "No"), ("prefer_not_to_say", "Prefer not to say")
            ),
        ),
    ),
)

MEDICAL = Page(
    "health",
    "8",
    "Physical health and medicines",
    questions=(
        Q(
            "medical.bp_systolic",
            K.INTEGER,
            "Your most recent blood pressure: top number",
            "Blood pressure top number (systolic)",
            hint="If you know it. A whole number from 60 to 260, like the 124 in 124/78.",
            minimum=60,
            maximum=260,
            checks=(_bp_other_number("medical.bp_diastolic"),),
        ),
        Q(
            "medical.bp_diastolic",
            K.INTEGER,
            "Your most recent blood pressure: bottom number",
            "Blood pressure bottom number (diastolic)",
            hint="A whole number from 30 to 160, like the 78 in 124/78.",
            minimum=30,
            maximum=160,
            checks=(_bp_other_number("medical.bp_systolic"), _bp_diastolic_lower),
        ),
        Q(
            "medical.bp_when",
            K.CHOICE,
            "When was that reading taken?",
            "When the reading was taken",
            required=True,
            shown=BP_READING_GIVEN,
            hint="Skip this if you did not give a reading.",
            choices=choices(
                ("this_week", "This week"),
                ("this_month", "This month"),
                ("within_6_months", "In the last 6 months"),
                ("longer", "More than 6 months ago"),
            ),
        ),
        Q(
            "medical.hypertension",
            K.CHOICE,
            "Has a health professional ever told you that you have high blood pressure?",
            "High blood pressure",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "medical.bp_medication",
            K.CHOICE,
            "Do you take medicine for blood pressure?",
            "Blood pressure medicine",
            required=True,
            choices=YES_NO,
        ),
        Q(
            "medical.conditions",
            K.MULTI,
            "Has a health professional ever told you that you have any of these?",
            "Health conditions",
            hint="Tick all that apply, or none.",
            choices=choices(
                ("aneurysm", "An aneurysm (a bulging blood vessel)"),
                ("avm", "An arteriovenous malformation (AVM): a tangle of blood vessels"),
                ("brain_bleed", "Bleeding in the brain"),
                ("stroke", "A stroke"),
                ("heart_attack", "A heart attack"),
                ("heart_failure", "Heart failure"),
                ("heart_rhythm", "An irregular heartbeat"),
                ("heart_valve", "A heart valve problem"),
                ("brain_injury", "A serious head injury or raised pressure in the skull"),
                ("hypertensive_crisis", "A dangerously high blood pressure emergency"),
                ("seizures", "Seizures or epilepsy"),
                ("liver_disease", "Liver disease"),
                ("bladder_problems", "Bladder or urinary problems"),
                ("thyroid_untreated", "An overactive thyroid that is not treated"),
                ("glaucoma", "Glaucoma (raised pressure in the eye)"),
                ("sleep_apnea", "Sleep apnea (breathing stops during sleep)"),
            ),
        ),
        Q(
            "medical.ketamine_allergy",
            K.CHOICE,
            "Have you ever had an allergic reaction to ketamine or esketamine (Spravato)?",
            "Allergy to ketamine",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "medical.current_medications",
            K.MULTI,
            "Do you take any of these medicines now?",
            "Other medicines now",
            hint="Tick all that apply, or none. Mood stabilizers are asked about on an "
            "earlier page.",
            choices=choices(
                (
                    "benzodiazepine",
                    "A benzodiazepine (for example Xanax, Ativan, Klonopin, Valium)",
                ),
                (
                    "opioid",
                    "An opioid painkiller (for example OxyContin, Vicodin, Percocet, tramadol)",
                ),
                ("sleep_medication", "A sleep medicine (for example Ambien, Lunesta, Sonata)"),
                ("stimulant", "A stimulant (for example Adderall, Ritalin, Vyvanse)"),
                ("maoi", "An MAOI antidepressant (for example Nardil, Parnate, Emsam)"),
            ),
        ),
        Q(
            "medical.other_medications_text",
            K.LONG_TEXT,
            "Other medicines you take now",
            "Other medicines",
            hint="Optional. Names and doses if you know them. Up to 1000 characters.",
            max_length=1000,
        ),
    ),
)

PRACTICAL = Page(
    "practical",
    "9",
    "Practical matters",
    questions=(
        Q(
            "practical.cost_concern",
            K.CHOICE,
            "Ketamine treatment is often not covered by insurance. How much of a concern is cost "
            "for you?",
            "Cost",
            required=True,
            choices=choices(
                ("none", "Not a concern"), ("some", "Some concern"), ("major", "A major concern")
            ),
        ),
        Q(
            "practical.payment",
            K.CHOICE,
            "How do you expect to pay?",
            "How you expect to pay",
            required=True,
            choices=choices(
                ("insurance", "Through insurance"),
                ("self_pay", "I will pay myself"),
                ("unsure", "Not sure"),
            ),
        ),
        Q(
            "practical.insurance_name",
            K.TEXT,
            "Your insurance company",
            "Insurance company",
            hint="Optional. Up to 120 characters.",
            max_length=120,
        ),
        Q(
            "practical.has_driver",
            K.CHOICE,
            "After each treatment you cannot drive until the next day. Do you have someone who "
            "can take you home?",
            "Someone to take you home",
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "practical.schedule_ok",
            K.CHOICE,
            "A first course is often two sessions a week for three weeks, each taking about two "
            "hours at the clinic. Could you attend?",
            "Attending the sessions",
            required=True,
            choices=YES_NO_UNSURE,
        ),
    ),
)

CONTACT = Page(
    "contact",
    "10",
    "How we can reach you, and anything else",
    questions=(
        Q(
            "contact.full_name",
            K.TEXT,
            "Full name",
            "Full name",
            required=True,
            max_length=120,
            autocomplete="name",
        ),
        Q(
            "contact.email",
            K.EMAIL,
            "Email address",
            "Email address",
            required=True,
            max_length=254,
            hint="For example name@example.com.",
        ),
        Q(
            "contact.phone",
            K.PHONE,
            "Phone number",
            "Phone number",
            hint="Needed if you prefer a call or text message.",
            required_when=PHONE_CONTACT,
            max_length=40,
        ),
        Q(
            "contact.preferred_contact",
            K.CHOICE,
            "How should we contact you?",
            "How to contact you",
            required=True,
            choices=choices(("email", "Email"), ("phone", "Phone call"), ("text", "Text message")),
        ),
        Q(
            "notes",
            K.LONG_TEXT,
            "Anything else you would like the clinician to know, in your own words",
            "Anything else",
            hint="Optional. Up to 2000 characters.",
            max_length=2000,
        ),
    ),
    identifies_person=True,
)

REVIEW = Page("review", "11", "Review your answers", reviewable=False)

PAGES: tuple[Page, ...] = (
    CONSENT,
    ABOUT,
    CONDITIONS,
    MOOD,
    SAFETY_CHECK,
    SYMPTOMS,
    TREATMENTS,
    MOOD_HISTORY,
    MEDICAL,
    PRACTICAL,
    CONTACT,
    REVIEW,
)
PAGES_BY_SLUG: dict[str, Page] = {p.slug: p for p in PAGES}
QUESTIONS: tuple[Question, ...] = tuple(q for p in PAGES for q in p.questions)
QUESTIONS_BY_PATH: dict[str, Question] = {q.path: q for q in QUESTIONS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(q.section for q in QUESTIONS))
# Sections the `evaluate` command may leave out: they do not change flags or scores.
OPTIONAL_FOR_EVALUATION = frozenset({"consent", "contact", "notes"})


def empty_document() -> Document:
    """A document with every question unanswered."""
    doc: Document = {"questionnaire_version": 1}
    for question in QUESTIONS:
        parts = question.path.split(".")
        if len(parts) == 1:
            doc[parts[0]] = question.empty
        else:
            doc.setdefault(parts[0], {})[parts[1]] = question.empty
    return doc


def with_every_key(doc: Document) -> Document:
    """A copy of the document with a key for every question: empty where it has none."""
    completed = empty_document()
    for section, value in doc.items():
        if isinstance(value, dict) and isinstance(completed.get(section), dict):
            completed[section] = {**completed[section], **value}
        else:
            completed[section] = value
    return completed
