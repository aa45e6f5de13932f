"""The screening questionnaire, version 1 (QUESTIONNAIRE.md): every page and question, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from .words import N_, joined, say

Q = Question
K = Kind


def choices(*pairs: tuple[str, str] | tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*pair) for pair in pairs)


YES_NO_UNSURE = choices(("yes", N_("Yes")), ("no", N_("No")), ("unsure", N_("Not sure")))
YES_NO = choices(("yes", N_("Yes")), ("no", N_("No")))

# --- Conditions the branching depends on ---------------------------------------------------

CONDITION_CHOICES = choices(
    ("ocd", N_("Obsessive-compulsive disorder (OCD)")),
    ("depression", N_("Depression")),
    ("bipolar", N_("Bipolar disorder")),
    ("ptsd", N_("Post-traumatic stress disorder (PTSD)")),
    ("anxiety", N_("Anxiety")),
    ("other", N_("Something else")),
)


# The primary concern is one of the conditions, except that bipolar disorder is asked about as
# depression with bipolar disorder (it counts as bipolar when "mentioned" is decided).
PRIMARY_CONCERN_CHOICES = tuple(
    Choice("bipolar_depression", N_("Depression with bipolar disorder"))
    if choice.value == "bipolar"
    else choice
    for choice in CONDITION_CHOICES
)
CONDITION_LABELS = {choice.value: choice.label for choice in CONDITION_CHOICES}

# Someone who only suspects a condition may not know its name: each says what it is like.
CONDITION_DESCRIPTIONS = {
    "ocd": N_("unwanted thoughts that keep coming back, and urges to do things over and over"),
    "depression": N_("feeling low, or losing interest in things, for weeks at a time"),
    "bipolar": N_("times of very high mood or energy, and times of low mood"),
    "ptsd": N_(
        "fear, upsetting memories or bad dreams that go on after something terrible happened"
    ),
    "anxiety": N_("worry or fear that is hard to control"),
}
SUSPECTED_CHOICES = tuple(
    Choice(choice.value, choice.label, CONDITION_DESCRIPTIONS.get(choice.value))
    for choice in CONDITION_CHOICES
)


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
        said = N_("a condition may not be both diagnosed and suspected (%(conditions)s)")
        return say(said, conditions=joined(both, "; "))
    return None


def _bp_other_number(other_path: str) -> Callable[[Document, Any], str | None]:
    """A blood pressure reading has both numbers or neither: this one is missing."""

    def check(doc: Document, value: Any) -> str | None:
        if value is None and get(doc, other_path) is not None:
            return N_("give both numbers of the reading, or neither")
        return None

    return check


def _bp_diastolic_lower(doc: Document, diastolic: Any) -> str | None:
    systolic = get(doc, "medical.bp_systolic")
    if isinstance(systolic, int) and isinstance(diastolic, int) and diastolic >= systolic:
        return N_("must be lower than the systolic value")
    return None


# --- The pages ----------------------------------------------------------------------------

CONSENT = Page(
    "start",
    "1",
    N_("Before you start"),
    intro_template="patient/intro/start.html",
    summary_audiences=frozenset({"patient"}),  # the clinician's summary leaves consent out
    questions=(
        Q(
            "consent.not_diagnostic_ack",
            K.ACK,
            N_(
                "I understand this questionnaire does not diagnose me or decide my treatment. "
                "A clinician will review my answers."
            ),
            N_("Understanding that this does not diagnose you"),
            required=True,
        ),
        Q(
            "consent.data_use_ack",
            K.ACK,
            N_("I agree that the clinic may store my answers to prepare for my consultation."),
            N_("Agreement to store your answers"),
            required=True,
        ),
    ),
)

ABOUT = Page(
    "about",
    "2",
    N_("About you"),
    questions=(
        Q(
            "about.date_of_birth",
            K.DATE,
            N_("Date of birth"),
            N_("Date of birth"),
            hint=N_("For example, 14 March 1988."),
            required=True,
            autocomplete="bday",
        ),
        Q(
            "about.sex_at_birth",
            K.CHOICE,
            N_("Sex assigned at birth"),
            N_("Sex assigned at birth"),
            hint=N_(
                "Some medicines act differently in different bodies. This helps your clinician."
            ),
            required=True,
            choices=choices(
                ("female", N_("Female")),
                ("male", N_("Male")),
                ("intersex", N_("Intersex")),
                ("prefer_not_to_say", N_("Prefer not to say")),
            ),
        ),
        Q(
            "about.pregnancy",
            K.CHOICE,
            N_("Are you pregnant, planning to get pregnant, or breastfeeding?"),
            N_("Pregnancy"),
            required=True,
            hint=N_("Skip this if you answered Male above."),
            shown=answer_not_in("about.sex_at_birth", {"male"}, "sex at birth is male"),
            choices=choices(
                ("pregnant", N_("I am pregnant")),
                ("planning", N_("I am planning to get pregnant")),
                ("breastfeeding", N_("I am breastfeeding")),
                ("none", N_("None of these")),
                ("prefer_not_to_say", N_("Prefer not to say")),
            ),
        ),
        Q(
            "about.region",
            K.CHOICE,
            N_("Where do you live?"),
            N_("Where you live"),
            required=True,
            hint=N_("Choose your US state or territory, or 'Outside the US'."),
            accepts="a two-letter US state or territory code in capitals (such as CA), or other",
            widget="select",
            choices=(
                *(Choice(code, name) for code, name in US_REGIONS),
                Choice("other", N_("Outside the US")),
            ),
        ),
    ),
)

CONDITIONS = Page(
    "conditions",
    "3",
    N_("What brings you here"),
    questions=(
        Q(
            "conditions.diagnosed",
            K.MULTI,
            N_("Has a health professional diagnosed you with any of these?"),
            N_("Diagnosed conditions"),
            hint=N_("Tick all that apply, or none."),
            choices=CONDITION_CHOICES,
        ),
        Q(
            "conditions.suspected",
            K.MULTI,
            N_("Do you think you have any of these, but have not been diagnosed?"),
            N_("Conditions you think you have"),
            hint=N_("Tick all that apply, or none. Do not tick one you ticked above."),
            choices=SUSPECTED_CHOICES,
            checks=(_not_also_diagnosed,),
        ),
        Q(
            "conditions.primary_concern",
            K.CHOICE,
            N_("What do you most want help with?"),
            N_("What you most want help with"),
            required=True,
            choices=PRIMARY_CONCERN_CHOICES,
        ),
        Q(
            "conditions.other_text",
            K.TEXT,
            N_("Tell us what 'something else' is"),
            N_("What 'something else' is"),
            required=True,
            max_length=200,
            hint=N_("Answer if you chose 'Something else' above. Up to 200 characters."),
            shown=OTHER_CHOSEN,
        ),
    ),
)

MOOD = Page(
    "mood",
    "4",
    N_("Mood and anxiety"),
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
            N_("How difficult these problems made things"),
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
    N_("Safety check"),
    shown=SAFETY_CHECK_SHOWN,
    step_of="mood",
    intro_template="patient/intro/safety-check.html",
    crisis_after=answer_in("safety.suicide_plan_or_intent", {"yes"}, "a plan or intention now"),
    questions=(
        Q(
            "safety.suicide_plan_or_intent",
            K.CHOICE,
            N_(
                "Right now, do you have a plan or intention to act on thoughts of ending your "
                "life or hurting yourself?"
            ),
            N_("Plan or intention"),
            required=True,
            shown=SAFETY_CHECK_SHOWN,
            choices=YES_NO,
        ),
    ),
)

SYMPTOMS = Page(
    "symptoms",
    "5",
    N_("More about your symptoms"),
    shown=SYMPTOMS_PAGE_SHOWN,
    intro=N_("These questions help your clinician learn more about your symptoms."),
    questions=(
        Q(
            "symptoms.ocd_time_per_day",
            K.CHOICE,
            N_("On a typical day, how much time do obsessions or compulsions take up?"),
            N_("Time taken by obsessions or compulsions"),
            required=True,
            shown=OCD_MENTIONED,
            choices=choices(
                ("under_1h", N_("Less than 1 hour")),
                ("1_to_3h", N_("1 to 3 hours")),
                ("over_3h", N_("More than 3 hours")),
                ("unsure", N_("Not sure")),
            ),
        ),
        Q(
            "symptoms.ybocs_last_score",
            K.INTEGER,
            N_(
                "If a clinician has measured your Y-BOCS score, what was the most recent score? "
                "(Leave blank if you don't know.)"
            ),
            N_("Most recent Y-BOCS score"),
            hint=N_("A whole number from 0 to 40."),
            minimum=0,
            maximum=40,
            shown=OCD_MENTIONED,
        ),
        Q(
            "symptoms.pcl5",
            K.SCALE,
            instruments.PCL5.instruction,
            "PCL-5",
            instrument=instruments.PCL5,
            shown=PTSD_MENTIONED,
            # English only (SPANISH.md): a person answering in Spanish may leave it.
            required_when=answer_not_in(
                "language", {"es"}, "the questionnaire is answered in Spanish"
            ),
        ),
    ),
)

TRIAL_FIELDS = (
    Q(
        "medication",
        K.CHOICE,
        N_("Medicine"),
        N_("Medicine"),
        required=True,
        widget="select",
        choices=tuple(Choice(m.key, m.label) for m in MEDICATIONS.values()),
    ),
    Q(
        "max_daily_dose_mg",
        K.NUMBER,
        N_("Highest dose each day, in mg"),
        N_("Highest daily dose"),
        hint=N_("The most you took in one day, if you know it."),
        minimum=0,
        exclusive_minimum=True,
        maximum=1000,
    ),
    Q(
        "duration_weeks",
        K.INTEGER,
        N_("Weeks taken"),
        N_("Weeks taken"),
        hint=N_("About how many weeks you took it, if you know."),
        minimum=0,
        maximum=520,
    ),
    Q(
        "outcome",
        K.CHOICE,
        N_("How did it go?"),
        N_("How it went"),
        required=True,
        choices=choices(
            ("helped", N_("It helped")),
            ("partial", N_("It helped a little")),
            ("no_change", N_("No change")),
            ("worse", N_("I felt worse")),
            ("side_effects", N_("I stopped because of side effects")),
            # Shorter than an adequate antidepressant trial: the clinic's weeks (FLAGS.md).
            ("too_early", N_("Too early to tell (I started less than %(weeks)s weeks ago)")),
        ),
    ),
    Q(
        "current",
        K.BOOL,
        N_("Are you taking it now?"),
        N_("Taking it now"),
        required=True,
        choices=YES_NO,
    ),
)
TRIAL_OUTCOME = next(field for field in TRIAL_FIELDS if field.key == "outcome")


def trial_text(trial: dict[str, Any]) -> str:
    """One medication trial in a few words, e.g. "Sertraline (Zoloft), up to 200 mg a day,
    14 weeks. It helped a little. Not taking it now." (translated where a page shows it)."""
    medication = MEDICATIONS.get(trial.get("medication"))
    details: list[str] = [medication.label if medication else str(trial.get("medication"))]
    if trial.get("max_daily_dose_mg") is not None:
        details.append(say(N_("up to %(dose)s mg a day"), dose=f"{trial['max_daily_dose_mg']:g}"))
    weeks = trial.get("duration_weeks")
    if weeks is not None:
        details.append(say(N_("1 week") if weeks == 1 else N_("%(count)s weeks"), count=weeks))
    parts = {
        "outcome": TRIAL_OUTCOME.choice_label(trial.get("outcome")),
        "now": N_("Taking it now") if trial.get("current") else N_("Not taking it now"),
    }
    # Punctuation only: the same in every language, so not a catalogue string.
    return say("%(details)s. %(outcome)s. %(now)s.", details=joined(details, ", "), **parts)


TREATMENTS = Page(
    "treatments",
    "6",
    N_("Treatments you have tried"),
    questions=(
        Q(
            "medication_trials",
            K.GROUP,
            N_("Antidepressant medicines you have taken"),
            N_("Medicines tried"),
            max_rows=15,
            fields=TRIAL_FIELDS,
            row_label=N_("Medicine"),
            add_row=N_("Add a medicine"),
            add_another_row=N_("Add another medicine"),
            row_action="trial",
            row_text=trial_text,
            hint=N_(
                "Add one entry for each time you took an antidepressant, up to 15. "
                "Leave this empty if you have never taken one."
            ),
        ),
        Q(
            "therapy.erp",
            K.CHOICE,
            N_("Have you had ERP (exposure and response prevention) therapy?"),
            N_("ERP therapy"),
            required=True,
            hint=N_(
                "ERP is a talking therapy for OCD. You face your fears step by step, without "
                "doing the compulsions."
            ),
            choices=choices(
                ("never", N_("Never")),
                ("started", N_("I started, but stopped before the end of a course")),
                ("completed", N_("I finished a course")),
                ("unsure", N_("Not sure")),
            ),
        ),
        Q(
            "therapy.erp_sessions",
            K.INTEGER,
            N_("About how many ERP sessions did you have?"),
            N_("Number of ERP sessions"),
            hint=N_("A whole number, if you know it. Skip it if you did not have ERP."),
            minimum=0,
            maximum=500,
            shown=ERP_TRIED,
        ),
        Q(
            "therapy.erp_specialist",
            K.CHOICE,
            N_("Was your ERP therapist an OCD specialist?"),
            N_("ERP with a specialist"),
            choices=YES_NO_UNSURE,
            shown=ERP_TRIED,
            hint=N_("Skip this if you did not have ERP."),
        ),
        Q(
            "therapy.other_therapy",
            K.MULTI,
            N_("Have you had any of these other therapies?"),
            N_("Other therapy"),
            hint=N_("Tick all that apply, or none."),
            choices=choices(
                ("cbt_without_exposure", N_("CBT without exposure work")),
                ("talk", N_("Talk therapy or counseling")),
                ("act", N_("Acceptance and commitment therapy (ACT)")),
                ("dbt", N_("Dialectical behavior therapy (DBT)")),
                ("other", N_("Another kind of therapy")),
            ),
        ),
        Q(
            "therapy.tms",
            K.CHOICE,
            N_("Have you had TMS?"),
            N_("TMS"),
            required=True,
            hint=N_(
                "TMS uses magnetic pulses on the head to treat depression. Its full name is "
                "transcranial magnetic stimulation."
            ),
            choices=choices(("never", N_("Never")), ("tried", N_("Yes, I have had TMS"))),
        ),
        Q(
            "therapy.ketamine_before",
            K.CHOICE,
            N_("Have you had ketamine treatment before?"),
            N_("Ketamine treatment before"),
            required=True,
            choices=choices(
                ("never", N_("Never")),
                ("iv_ketamine", N_("Ketamine through a drip (IV)")),
                ("esketamine", N_("Esketamine nasal spray (Spravato)")),
                ("other", N_("Another kind of ketamine treatment")),
            ),
        ),
        Q(
            "therapy.ketamine_response",
            K.CHOICE,
            N_("How did ketamine treatment go?"),
            N_("How ketamine treatment went"),
            required=True,
            shown=KETAMINE_TRIED,
            hint=N_("Skip this if you have never had ketamine treatment."),
            choices=choices(
                ("helped", N_("It helped")),
                ("partial", N_("It helped a little")),
                ("no_change", N_("No change")),
                ("worse", N_("I felt worse")),
            ),
        ),
    ),
)

MOOD_HISTORY = Page(
    "mood-history",
    "7",
    N_("Mood history and safety"),
    questions=(
        Q(
            "safety.suicide_attempt_history",
            K.CHOICE,
            N_("Have you ever tried to end your life?"),
            N_("Past suicide attempt"),
            required=True,
            choices=choices(
                ("never", N_("Never")),
                ("more_than_year", N_("Yes, more than a year ago")),
                ("within_year", N_("Yes, in the past year")),
                ("prefer_not_to_say", N_("Prefer not to say")),
            ),
        ),
        Q(
            "safety.psychosis_history",
            K.CHOICE,
            N_(
                "Have you ever seen or heard things that others could not? Or strongly believed "
                "things that others said were not real? Count only times when drugs or alcohol "
                "were not the cause."
            ),
            N_("Unusual experiences, ever"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.psychosis_current",
            K.CHOICE,
            N_(
                "In the past month, have you seen or heard things that others could not? Or "
                "strongly believed things that others said were not real? Count only times when "
                "drugs or alcohol were not the cause."
            ),
            N_("Unusual experiences, past month"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.family_psychosis",
            K.CHOICE,
            N_(
                "Think of your parents, brothers, sisters and children. Has one of them been "
                "diagnosed with schizophrenia? Or with another psychotic disorder?"
            ),
            N_("Psychosis in close family"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.mania_history",
            K.CHOICE,
            N_(
                "Have you ever had a time of several days when all of these were true? You felt "
                "unusually high, full of energy or irritable. You needed much less sleep than "
                "usual. Other people noticed a change in you."
            ),
            N_("Periods of high energy, ever"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.mania_current",
            K.CHOICE,
            N_(
                "In the past two weeks, have you had several days when all of these were true? "
                "You felt unusually high, full of energy or irritable. You needed much less sleep "
                "than usual. Other people noticed a change in you."
            ),
            N_("Periods of high energy, past two weeks"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "safety.mood_stabilizers",
            K.MULTI,
            N_("Do you take any of these mood medicines now?"),
            N_("Mood stabilizers now"),
            hint=N_("Tick all that apply, or none."),
            choices=choices(
                ("lithium", N_("Lithium")),
                ("valproate", N_("Valproate (Depakote)")),
                ("lamotrigine", N_("Lamotrigine (Lamictal)")),
                (
                    "antipsychotic",
                    N_(
                        "An antipsychotic (a medicine also used for mood, for example "
                        "quetiapine, aripiprazole or olanzapine)"
                    ),
                ),
                ("other", N_("Another mood stabilizer")),
            ),
        ),
        Q(
            "safety.substance_use",
            K.CHOICE,
            N_(
                "Have you ever had a problem with alcohol or drugs? This includes medicines you "
                "did not take the way they were prescribed."
            ),
            N_("Alcohol or drug use"),
            required=True,
            choices=choices(
                ("never", N_("Never")),
                ("past", N_("Yes, but not in the last 12 months")),
                ("current", N_("Yes, in the last 12 months")),
                ("prefer_not_to_say", N_("Prefer not to say")),
            ),
        ),
        Q(
            "safety.ketamine_misuse",
            K.CHOICE,
            N_("Have you ever used ketamine, esketamine or PCP outside of medical treatment?"),
            N_("Ketamine or PCP outside treatment"),
            required=True,
            choices=choices(
                ("yes", N_("Yes")), ("no", N_("No")), ("prefer_not_to_say", N_("Prefer not to say"))
            ),
        ),
    ),
)

MEDICAL = Page(
    "health",
    "8",
    N_("Physical health and medicines"),
    questions=(
        Q(
            "medical.bp_systolic",
            K.INTEGER,
            N_("Your most recent blood pressure: top number"),
            N_("Blood pressure top number (systolic)"),
            hint=N_("If you know it. A whole number from 60 to 260, like the 124 in 124/78."),
            minimum=60,
            maximum=260,
            checks=(_bp_other_number("medical.bp_diastolic"),),
        ),
        Q(
            "medical.bp_diastolic",
            K.INTEGER,
            N_("Your most recent blood pressure: bottom number"),
            N_("Blood pressure bottom number (diastolic)"),
            hint=N_("A whole number from 30 to 160, like the 78 in 124/78."),
            minimum=30,
            maximum=160,
            checks=(_bp_other_number("medical.bp_systolic"), _bp_diastolic_lower),
        ),
        Q(
            "medical.bp_when",
            K.CHOICE,
            N_("When was that reading taken?"),
            N_("When the reading was taken"),
            required=True,
            shown=BP_READING_GIVEN,
            hint=N_("Skip this if you did not give a reading."),
            choices=choices(
                ("this_week", N_("This week")),
                ("this_month", N_("This month")),
                ("within_6_months", N_("In the last 6 months")),
                ("longer", N_("More than 6 months ago")),
            ),
        ),
        Q(
            "medical.hypertension",
            K.CHOICE,
            N_("Has a health professional ever told you that you have high blood pressure?"),
            N_("High blood pressure"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "medical.bp_medication",
            K.CHOICE,
            N_("Do you take medicine for blood pressure?"),
            N_("Blood pressure medicine"),
            required=True,
            choices=YES_NO,
        ),
        Q(
            "medical.conditions",
            K.MULTI,
            N_("Has a health professional ever told you that you have any of these?"),
            N_("Health conditions"),
            hint=N_("Tick all that apply, or none."),
            choices=choices(
                ("aneurysm", N_("An aneurysm (a bulge in a blood vessel)")),
                ("avm", N_("An AVM (a tangle of blood vessels: arteriovenous malformation)")),
                ("brain_bleed", N_("Bleeding in the brain")),
                ("stroke", N_("A stroke")),
                ("heart_attack", N_("A heart attack")),
                ("heart_failure", N_("Heart failure")),
                ("heart_rhythm", N_("An irregular heartbeat")),
                ("heart_valve", N_("A heart valve problem")),
                ("brain_injury", N_("A serious head injury, or high pressure inside the skull")),
                ("hypertensive_crisis", N_("Blood pressure so high that it was an emergency")),
                ("seizures", N_("Seizures or epilepsy")),
                ("liver_disease", N_("Liver disease")),
                ("bladder_problems", N_("Bladder or urine problems")),
                ("thyroid_untreated", N_("An overactive thyroid that is not treated")),
                ("glaucoma", N_("Glaucoma (high pressure in the eye)")),
                ("sleep_apnea", N_("Sleep apnea (your breathing stops and starts as you sleep)")),
            ),
        ),
        Q(
            "medical.ketamine_allergy",
            K.CHOICE,
            N_("Have you ever had an allergic reaction to ketamine or esketamine (Spravato)?"),
            N_("Allergy to ketamine"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "medical.current_medications",
            K.MULTI,
            N_("Do you take any of these medicines now?"),
            N_("Other medicines now"),
            hint=N_(
                "Tick all that apply, or none. We asked about mood medicines on an earlier page."
            ),
            choices=choices(
                (
                    "benzodiazepine",
                    N_(
                        "A benzodiazepine (a calming medicine, for example Xanax, Ativan, "
                        "Klonopin or Valium)"
                    ),
                ),
                (
                    "opioid",
                    N_(
                        "An opioid painkiller (a strong pain medicine, for example OxyContin, "
                        "Vicodin, Percocet or tramadol)"
                    ),
                ),
                (
                    "sleep_medication",
                    N_("A sleep medicine (a sleeping pill, for example Ambien, Lunesta or Sonata)"),
                ),
                (
                    "stimulant",
                    N_("A stimulant (often for ADHD, for example Adderall, Ritalin or Vyvanse)"),
                ),
                (
                    "maoi",
                    N_(
                        "An MAOI antidepressant (an older kind, for example Nardil, Parnate or "
                        "Emsam)"
                    ),
                ),
            ),
        ),
        Q(
            "medical.other_medications_text",
            K.LONG_TEXT,
            N_("Other medicines you take now"),
            N_("Other medicines"),
            hint=N_("Optional. Names and doses if you know them. Up to 1000 characters."),
            max_length=1000,
        ),
    ),
)

PRACTICAL = Page(
    "practical",
    "9",
    N_("Practical matters"),
    questions=(
        Q(
            "practical.cost_concern",
            K.CHOICE,
            N_(
                "Ketamine treatment is often not covered by insurance. How much of a concern is "
                "cost for you?"
            ),
            N_("Cost"),
            required=True,
            choices=choices(
                ("none", N_("Not a concern")),
                ("some", N_("Some concern")),
                ("major", N_("A major concern")),
            ),
        ),
        Q(
            "practical.payment",
            K.CHOICE,
            N_("How do you expect to pay?"),
            N_("How you expect to pay"),
            required=True,
            choices=choices(
                ("insurance", N_("Through insurance")),
                ("self_pay", N_("I will pay myself")),
                ("unsure", N_("Not sure")),
            ),
        ),
        Q(
            "practical.insurance_name",
            K.TEXT,
            N_("Your insurance company"),
            N_("Insurance company"),
            hint=N_("Optional. Up to 120 characters."),
            max_length=120,
        ),
        Q(
            "practical.has_driver",
            K.CHOICE,
            N_(
                "After each treatment you cannot drive until the next day. Do you have someone "
                "who can take you home?"
            ),
            N_("Someone to take you home"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
        Q(
            "practical.schedule_ok",
            K.CHOICE,
            N_(
                "A first course is often two sessions a week for three weeks, each taking about "
                "two hours at the clinic. Could you attend?"
            ),
            N_("Attending the sessions"),
            required=True,
            choices=YES_NO_UNSURE,
        ),
    ),
)

CONTACT = Page(
    "contact",
    "10",
    N_("How we can reach you, and anything else"),
    questions=(
        Q(
            "contact.full_name",
            K.TEXT,
            N_("Full name"),
            N_("Full name"),
            required=True,
            max_length=120,
            autocomplete="name",
        ),
        Q(
            "contact.email",
            K.EMAIL,
            N_("Email address"),
            N_("Email address"),
            required=True,
            max_length=254,
            hint=N_("For example name@example.com."),
        ),
        Q(
            "contact.phone",
            K.PHONE,
            N_("Phone number"),
            N_("Phone number"),
            hint=N_("Needed if you prefer a call or text message."),
            required_when=PHONE_CONTACT,
            max_length=40,
        ),
        Q(
            "contact.preferred_contact",
            K.CHOICE,
            N_("How should we contact you?"),
            N_("How to contact you"),
            required=True,
            choices=choices(
                ("email", N_("Email")), ("phone", N_("Phone call")), ("text", N_("Text message"))
            ),
        ),
        Q(
            "notes",
            K.LONG_TEXT,
            N_("Anything else you would like the clinician to know, in your own words"),
            N_("Anything else"),
            hint=N_("Optional. Up to 2000 characters."),
            max_length=2000,
        ),
    ),
    identifies_person=True,
)

REVIEW = Page("review", "11", N_("Review your answers"), reviewable=False)

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
