"""Demo answer documents for the review queue: fictional people, canonical documents (no Flask).

Every document validates, and together they raise every flag of FLAGS.md at every level it can
reach. `outside_service_area` needs the clinic to set SERVED_REGIONS: with the default (empty,
every region served) the document from outside the US raises nothing for it.

Names use placeholder surnames, emails reserved example domains (RFC 2606) and phone numbers
the fictional 555-01xx range. Ages are fixed relative to the evaluation date, so the 17-year-old
stays 17 and the 18-year-old stays 18 whatever the year.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .questionnaire.schema import with_every_key

Born = Callable[[date], date]
CREATED_WINDOW = timedelta(days=21)


def aged(years: int, month: int, day: int) -> Born:
    """Born on this month and day, `years` old on the evaluation date."""

    def born(as_of: date) -> date:
        had_birthday = (as_of.month, as_of.day) >= (month, day)
        return date(as_of.year - years - (0 if had_birthday else 1), month, day)

    return born


def _years_before(as_of: date, years: int) -> date:
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February in a year that has none
        return date(as_of.year - years, 2, 28)


def eighteen_for_three_weeks(as_of: date) -> date:
    """Turned 18 exactly 21 days before as_of: 18, not under 18, on every created date too.

    seed-demo evaluates each document on its created date, up to 21 days before as_of, so a
    birthday on as_of itself would make this person 17 in the queue.
    """
    return _years_before(as_of, 18) - CREATED_WINDOW


def seventeen_turning_eighteen_soon(as_of: date) -> date:
    """17 on the evaluation date, turning 18 forty days later."""
    return _years_before(as_of, 18) + timedelta(days=40)


# The quiet answer to every question; each demo person changes only what is theirs.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "conditions": {"diagnosed": [], "suspected": [], "other_text": None},
    "symptoms": {"phq9_difficulty": None, "pcl5": None, "ocd_time_per_day": None},
    "safety": {
        "suicide_attempt_history": "never",
        "psychosis_history": "no",
        "psychosis_current": "no",
        "family_psychosis": "no",
        "mania_history": "no",
        "mania_current": "no",
        "mood_stabilizers": [],
        "substance_use": "never",
        "ketamine_misuse": "no",
    },
    "therapy": {
        "erp": "never",
        "erp_sessions": None,
        "erp_specialist": None,
        "other_therapy": [],
        "tms": "never",
        "ketamine_before": "never",
        "ketamine_response": None,
    },
    "medical": {
        "bp_systolic": 122,
        "bp_diastolic": 78,
        "bp_when": "this_month",
        "hypertension": "no",
        "bp_medication": "no",
        "conditions": [],
        "ketamine_allergy": "no",
        "current_medications": [],
        "other_medications_text": None,
    },
    "practical": {
        "cost_concern": "none",
        "payment": "self_pay",
        "insurance_name": None,
        "has_driver": "yes",
        "schedule_ok": "yes",
    },
}
NO_READING = {"bp_systolic": None, "bp_diastolic": None, "bp_when": None}

# Three failed adequate antidepressant trials: depression with nothing left to plan around.
THREE_FAILED = [
    ("sertraline", 150, 12, "partial", False),
    ("bupropion", 300, 10, "no_change", False),
    ("venlafaxine", 225, 14, "partial", True),
]

# One entry per person. `contact` is (name, email, phone or None, preferred contact); `trials`
# rows are (medication, max daily mg, weeks, outcome, taking it now); section keys hold only the
# answers that differ from _DEFAULTS. The comment names the flags each entry is there for.
# fmt: off
DEMO_PEOPLE: tuple[dict[str, Any], ...] = (
    {  # 0: the worked example of QUESTIONNAIRE.md — off_label, cost_concern
        "contact": ("Alex Example", "alex@example.org", "+1 415 555 0100", "email"),
        "born": aged(38, 3, 14), "sex": "female", "region": "CA",
        "conditions": {"diagnosed": ["ocd", "depression"], "primary_concern": "ocd"},
        "symptoms": {"phq9": [2, 2, 1, 2, 1, 1, 1, 0, 0], "phq9_difficulty": "very",
                     "gad7": [2, 2, 2, 1, 1, 1, 1], "ocd_time_per_day": "over_3h",
                     "ybocs_last_score": 27},
        "safety": {"family_psychosis": "unsure"},
        "trials": [("sertraline", 200, 14, "partial", False),
                   ("fluoxetine", 60, 12, "no_change", True)],
        "therapy": {"erp": "completed", "erp_sessions": 16, "erp_specialist": "yes",
                    "other_therapy": ["talk"]},
        "medical": {"bp_systolic": 124},
        "practical": {"cost_concern": "some"},
        "notes": "Checking and asking for reassurance take most of my evenings. My ERP "
        "therapist suggested I ask about ketamine.",
    },
    {  # 1: OCD after three SRIs and a full ERP course — off_label only
        "contact": ("Jordan Sample", "jordan.sample@example.com", "+1 512 555 0101", "text"),
        "born": aged(29, 7, 2), "sex": "male", "region": "TX",
        "conditions": {"diagnosed": ["ocd"], "primary_concern": "ocd"},
        "symptoms": {"phq9": [1, 1, 1, 1, 0, 1, 1, 0, 0], "gad7": [2, 2, 1, 1, 1, 1, 0],
                     "ocd_time_per_day": "1_to_3h", "ybocs_last_score": 24},
        "trials": [("fluoxetine", 80, 16, "no_change", False),
                   ("clomipramine", 150, 12, "partial", False),
                   ("fluvoxamine", 250, 10, "partial", True)],
        "therapy": {"erp": "completed", "erp_sessions": 22, "erp_specialist": "yes",
                    "other_therapy": ["cbt_without_exposure"]},
        "medical": {"bp_systolic": 118, "bp_diastolic": 74, "bp_when": "this_week"},
        "practical": {"payment": "insurance", "insurance_name": "Example Health PPO"},
        "notes": "Contamination fears mostly. Work has been understanding but I am tired.",
    },
    {  # 2: OCD, low SRI dose, ERP stopped early — sri_trials, erp_course
        "contact": ("Priya Test", "priya.test@example.net", "+1 212 555 0102", "email"),
        "born": aged(24, 11, 5), "sex": "female", "region": "NY",
        "conditions": {"diagnosed": ["ocd", "anxiety"], "primary_concern": "ocd"},
        "symptoms": {"phq9": [1, 2, 2, 2, 1, 1, 2, 1, 0], "phq9_difficulty": "somewhat",
                     "gad7": [2, 3, 2, 2, 1, 2, 2], "ocd_time_per_day": "over_3h",
                     "ybocs_last_score": 31},
        "trials": [("sertraline", 100, 10, "partial", False),
                   ("escitalopram", 20, 5, "too_early", True)],
        "therapy": {"erp": "started", "erp_sessions": 5, "erp_specialist": "no"},
        "practical": {"cost_concern": "some", "payment": "insurance"},
        "notes": "I stopped ERP because the therapist moved away. Intrusive thoughts about "
        "harming people I love, which I know I would never do.",
    },
    {  # 3: plan or intent right now — suicide_risk urgent, severe_depression_score
        "contact": ("Marcus Demo", "marcus.demo@example.org", "+1 404 555 0103", "phone"),
        "born": aged(45, 1, 22), "sex": "male", "region": "GA",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [3, 3, 3, 2, 2, 3, 2, 1, 2], "phq9_difficulty": "extremely",
                     "gad7": [2, 2, 2, 1, 1, 2, 1]},
        "safety": {"suicide_plan_or_intent": "yes", "suicide_attempt_history": "more_than_year"},
        "trials": THREE_FAILED,
        "therapy": {"other_therapy": ["talk", "cbt_without_exposure"]},
        "notes": "Since I lost my job I don't see the point of much. I don't want to feel "
        "like this anymore.",
    },
    {  # 4: PTSD, passive thoughts without a plan — suicide_risk high, sedating_medication
        "contact": ("Elena Sample", "elena.sample@example.com", "+1 602 555 0104", "text"),
        "born": aged(33, 6, 18), "sex": "female", "region": "AZ",
        "conditions": {"diagnosed": ["ptsd", "depression"], "primary_concern": "ptsd"},
        "symptoms": {"phq9": [2, 2, 3, 2, 1, 2, 2, 1, 1], "phq9_difficulty": "very",
                     "gad7": [3, 2, 2, 2, 2, 2, 2],
                     "pcl5": [3, 3, 2, 3, 3, 3, 3, 2, 2, 3, 3, 2, 3, 2, 2, 3, 2, 3, 3, 2]},
        "trials": [("sertraline", 200, 12, "partial", True),
                   ("paroxetine", 40, 4, "side_effects", False)],
        "therapy": {"other_therapy": ["talk", "other"]},
        "medical": {"current_medications": ["sleep_medication"],
                    "other_medications_text": "Prazosin 2 mg at night for nightmares"},
        "practical": {"cost_concern": "major"},
        "notes": "Nightmares most nights since the accident. Sometimes I think everyone would "
        "be better off without me but I would not act on it.",
    },
    {  # 5: attempt this year, drinking — suicide_risk high, substance_use review
        "contact": ("Darnell Test", "darnell.test@example.org", "+1 614 555 0105", "phone"),
        "born": aged(52, 9, 9), "sex": "male", "region": "OH",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 2, 3, 2, 2, 2, 2, 0], "gad7": [1, 1, 1, 1, 0, 1, 1]},
        "safety": {"suicide_attempt_history": "within_year", "substance_use": "current"},
        "trials": [("citalopram", 40, 12, "no_change", False),
                   ("mirtazapine", 30, 8, "partial", True)],
        "therapy": {"other_therapy": ["talk"]},
        "medical": {"bp_systolic": 134, "bp_diastolic": 86, "bp_when": "this_week"},
        "practical": {"payment": "insurance", "insurance_name": "Sample Mutual"},
        "notes": "I was in the hospital in the spring. I am drinking less than I was but "
        "still most nights.",
    },
    {  # 6: returning IV ketamine patient — suicide_risk review, other_medical
        "contact": ("Grace Placeholder", "grace.p@example.net", "+1 206 555 0106", "email"),
        "born": aged(61, 4, 30), "sex": "female", "region": "WA",
        "conditions": {"diagnosed": ["depression", "anxiety"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 1, 1, 1, 1, 1, 1, 0], "gad7": [1, 1, 1, 1, 0, 1, 0]},
        "safety": {"suicide_attempt_history": "more_than_year"},
        "trials": [*THREE_FAILED, ("nortriptyline", 75, 10, "side_effects", False)],
        "therapy": {"other_therapy": ["talk", "act"], "tms": "tried",
                    "ketamine_before": "iv_ketamine", "ketamine_response": "helped"},
        "medical": {"bp_systolic": 132, "bp_diastolic": 84, "bp_when": "within_6_months",
                    "conditions": ["glaucoma"]},
        "notes": "IV ketamine helped me a lot three years ago at a clinic in another city. "
        "I would like to start again.",
    },
    {  # 7: bipolar depression, high energy now — mania_or_psychosis_now urgent, bipolar
        "contact": ("Tyler Fixture", "tyler.fixture@example.com", "+1 303 555 0107", "text"),
        "born": aged(27, 12, 1), "sex": "male", "region": "CO",
        "conditions": {"diagnosed": ["bipolar"], "primary_concern": "bipolar_depression"},
        "symptoms": {"phq9": [1, 2, 0, 1, 1, 2, 2, 2, 0], "gad7": [2, 2, 3, 2, 3, 3, 1]},
        "safety": {"mania_history": "yes", "mania_current": "yes",
                   "mood_stabilizers": ["lamotrigine"]},
        "trials": [("bupropion", 300, 8, "no_change", True)],
        "practical": {"schedule_ok": "no"},
        "notes": "Last week I barely slept and started three new projects. My partner says "
        "I am talking too fast. Before that I was depressed for months.",
    },
    {  # 8: postpartum depression, breastfeeding — pregnancy high
        "contact": ("Hannah Exampleton", "hannah@example.org", "+1 503 555 0108", "email"),
        "born": aged(30, 2, 11), "sex": "female", "pregnancy": "breastfeeding", "region": "OR",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 2, 3, 1, 2, 1, 1, 0], "phq9_difficulty": "very",
                     "gad7": [2, 2, 2, 1, 1, 2, 1]},
        "trials": [("sertraline", 100, 8, "partial", True)],
        "therapy": {"other_therapy": ["talk"]},
        "practical": {"cost_concern": "some"},
        "notes": "My baby is five months old. I am still breastfeeding and want to know "
        "what is safe.",
    },
    {  # 9: planning a pregnancy, no blood pressure reading — pregnancy high, bp_unknown info
        "contact": ("Noor Sample", "noor.sample@example.net", "+1 313 555 0109", "email"),
        "born": aged(35, 8, 25), "sex": "female", "pregnancy": "planning", "region": "MI",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 1, 2, 1, 2, 1, 0, 0], "gad7": [1, 1, 1, 0, 0, 1, 0]},
        "trials": THREE_FAILED,
        "medical": NO_READING,
        "practical": {"payment": "insurance", "insurance_name": "Placeholder Health"},
        "notes": "We would like to try for a baby next year.",
    },
    {  # 10: seventeen — under_18 high
        "contact": ("Ethan Demo", "ethan.demo@example.com", None, "email"),
        "born": seventeen_turning_eighteen_soon, "sex": "male", "region": "MA",
        "conditions": {"diagnosed": ["anxiety"], "suspected": ["depression"],
                       "primary_concern": "anxiety"},
        "symptoms": {"phq9": [1, 1, 2, 1, 1, 1, 2, 0, 0], "gad7": [3, 3, 2, 2, 1, 2, 2]},
        "trials": [("escitalopram", 10, 8, "partial", True)],
        "therapy": {"other_therapy": ["cbt_without_exposure"]},
        "practical": {"payment": "insurance"},
        "notes": "My mom is helping me fill this in. School has been really hard this year.",
    },
    {  # 11: just 18, no ride, unsure of schedule — transport, schedule
        "contact": ("Olivia Test", "olivia.test@example.org", "+1 617 555 0111", "text"),
        "born": eighteen_for_three_weeks, "sex": "female", "region": "MA",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 1, 2, 2, 1, 1, 2, 1, 0], "gad7": [1, 2, 1, 1, 1, 1, 1]},
        "trials": [("fluoxetine", 20, 10, "partial", True)],
        "therapy": {"other_therapy": ["talk"]},
        "practical": {"cost_concern": "major", "payment": "unsure", "has_driver": "unsure",
                      "schedule_ok": "unsure"},
        "notes": "I live in a dorm and don't have a car. My classes change every semester.",
    },
    {  # 12: very high blood pressure, heart attack, sleep apnea — blood_pressure high
        "contact": ("Robert Sampleton", "rob.sampleton@example.com", "+1 305 555 0112", "phone"),
        "born": aged(68, 10, 3), "sex": "male", "region": "FL",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 2, 2, 1, 1, 1, 1, 0], "gad7": [1, 1, 1, 1, 0, 1, 1]},
        "trials": [("escitalopram", 20, 12, "no_change", False),
                   ("duloxetine", 60, 10, "partial", True)],
        "medical": {"bp_systolic": 186, "bp_diastolic": 112, "bp_when": "this_week",
                    "hypertension": "yes", "bp_medication": "yes",
                    "conditions": ["heart_attack", "sleep_apnea"],
                    "other_medications_text": "Lisinopril, metoprolol, a baby aspirin"},
        "practical": {"payment": "insurance", "insurance_name": "Medicare"},
        "notes": "My doctor is adjusting my blood pressure pills. I had a heart attack in 2019.",
    },
    {  # 13: aneurysm, raised blood pressure — vascular_history high, blood_pressure review
        "contact": ("Daniel Placeholder", "dan.placeholder@example.net", None, "email"),
        "born": aged(64, 5, 14), "sex": "male", "region": "PA",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 1, 2, 1, 1, 1, 0, 0], "gad7": [1, 1, 1, 0, 1, 1, 0]},
        "trials": [("sertraline", 150, 12, "no_change", False),
                   ("duloxetine", 60, 10, "partial", True)],
        "medical": {"bp_systolic": 146, "bp_diastolic": 94, "bp_when": "within_6_months",
                    "hypertension": "yes", "bp_medication": "yes", "conditions": ["aneurysm"]},
        "notes": "They found a small aneurysm on a scan two years ago and are watching it.",
    },
    {  # 14: anxiety on a benzodiazepine, old reading — sedating_medication, blood_pressure info
        "contact": ("Mei Example", "mei.example@example.org", "+1 510 555 0114", "email"),
        "born": aged(41, 9, 27), "sex": "female", "region": "CA",
        "conditions": {"diagnosed": ["anxiety", "depression"], "primary_concern": "anxiety"},
        "symptoms": {"phq9": [1, 1, 2, 2, 1, 1, 2, 0, 0], "gad7": [3, 3, 3, 2, 2, 2, 2]},
        "trials": [("escitalopram", 20, 12, "partial", False),
                   ("venlafaxine", 150, 3, "side_effects", False)],
        "therapy": {"other_therapy": ["cbt_without_exposure", "act"]},
        "medical": {"bp_systolic": 116, "bp_diastolic": 72, "bp_when": "longer",
                    "current_medications": ["benzodiazepine"],
                    "other_medications_text": "Clonazepam 0.5 mg twice a day"},
        "notes": "The worry never switches off. Clonazepam takes the edge off but I don't want "
        "to rely on it.",
    },
    {  # 15: prefers not to say, no reading, unsure of hypertension — not_determined, bp_unknown
        "contact": ("Chris Demo", "chris.demo@example.com", "+1 505 555 0115", "text"),
        "born": aged(34, 3, 3), "sex": "intersex", "pregnancy": "prefer_not_to_say",
        "region": "NM",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 2, 2, 1, 2, 1, 1, 0], "gad7": [2, 1, 1, 1, 1, 1, 1]},
        "trials": [("vortioxetine", 20, 10, "no_change", False),
                   ("desvenlafaxine", 100, 12, "partial", True)],
        "medical": {**NO_READING, "hypertension": "unsure"},
        "practical": {"cost_concern": "some"},
        "notes": "I have not had my blood pressure checked in a long time.",
    },
    {  # 16: ketamine outside treatment years ago — substance_use high
        "contact": ("Kevin Fictional", "kevin.f@example.net", "+1 702 555 0116", "phone"),
        "born": aged(36, 7, 19), "sex": "male", "region": "NV",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 1, 2, 2, 1, 1, 1, 0], "gad7": [1, 1, 1, 1, 1, 0, 1]},
        "safety": {"substance_use": "past", "ketamine_misuse": "yes"},
        "trials": [("paroxetine", 40, 10, "no_change", False),
                   ("bupropion", 300, 12, "partial", True)],
        "notes": "I used ketamine at parties in my twenties. I have been sober four years and "
        "want to be upfront about it.",
    },
    {  # 17: reaction to esketamine — ketamine_allergy high
        "contact": ("Lucia Sample", "lucia.sample@example.org", "+1 312 555 0117", "email"),
        "born": aged(47, 11, 30), "sex": "female", "region": "IL",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 3, 2, 2, 1, 2, 1, 1, 0], "gad7": [1, 1, 1, 1, 1, 1, 0]},
        "trials": THREE_FAILED,
        "therapy": {"ketamine_before": "esketamine", "ketamine_response": "worse"},
        "medical": {"ketamine_allergy": "yes"},
        "practical": {"payment": "insurance", "insurance_name": "Example Care HMO"},
        "notes": "I got a rash and swelling after my second Spravato session, so they stopped.",
    },
    {  # 18: veteran with PTSD, family psychosis — psychosis_history review, cost_concern
        "contact": ("Samuel Test", "sam.test@example.com", "+1 919 555 0118", "phone"),
        "born": aged(31, 4, 2), "sex": "male", "region": "NC",
        "conditions": {"diagnosed": ["ptsd", "depression"], "primary_concern": "ptsd"},
        "symptoms": {"phq9": [2, 2, 3, 2, 1, 1, 2, 1, 0], "gad7": [2, 2, 2, 2, 2, 2, 3],
                     "pcl5": [3, 2, 3, 3, 2, 3, 3, 1, 2, 2, 2, 3, 2, 2, 1, 3, 3, 2, 3, 3]},
        "safety": {"family_psychosis": "yes"},
        "trials": [("sertraline", 200, 12, "partial", False),
                   ("venlafaxine", 225, 10, "no_change", True)],
        "therapy": {"other_therapy": ["talk", "other"]},
        "practical": {"cost_concern": "major", "payment": "unsure"},
        "notes": "Two deployments. I did cognitive processing therapy through the VA. My "
        "brother has schizophrenia.",
    },
    {  # 19: bipolar diagnosed, no highs reported — bipolar review, answer_conflict
        "contact": ("Ava Demoford", "ava.demoford@example.net", "+1 612 555 0119", "text"),
        "born": aged(26, 1, 8), "sex": "female", "region": "MN",
        "conditions": {"diagnosed": ["bipolar", "anxiety"],
                       "primary_concern": "bipolar_depression"},
        "symptoms": {"phq9": [2, 2, 2, 2, 1, 2, 1, 1, 0], "gad7": [2, 2, 1, 2, 1, 1, 1]},
        "safety": {"mood_stabilizers": ["lamotrigine"]},
        "trials": [("bupropion", 150, 6, "partial", False),
                   ("sertraline", 100, 8, "worse", False)],
        "therapy": {"other_therapy": ["dbt"]},
        "notes": "I was told I have bipolar II but I have never felt high, mostly just low.",
    },
    {  # 20: ADHD stimulant — pressor_medication (current_medications)
        "contact": ("Jamal Exampleton", "jamal@example.org", "+1 201 555 0120", "email"),
        "born": aged(39, 6, 6), "sex": "male", "region": "NJ",
        "conditions": {"diagnosed": ["depression", "other"], "primary_concern": "depression",
                       "other_text": "ADHD"},
        "symptoms": {"phq9": [2, 2, 1, 1, 1, 2, 2, 0, 0], "gad7": [1, 2, 1, 1, 2, 1, 0]},
        "trials": [("escitalopram", 20, 10, "no_change", False),
                   ("bupropion", 300, 12, "partial", True)],
        "medical": {"bp_systolic": 128, "bp_diastolic": 82, "current_medications": ["stimulant"],
                    "other_medications_text": "Adderall XR 20 mg in the morning"},
        "practical": {"payment": "insurance", "insurance_name": "Sample Blue"},
        "notes": "I take Adderall for ADHD and it is the only thing that works for my focus.",
    },
    {  # 21: taking an MAOI now — pressor_medication (current MAOI trial)
        "contact": ("Ruth Sample", "ruth.sample@example.com", "+1 802 555 0121", "phone"),
        "born": aged(58, 12, 12), "sex": "female", "region": "VT",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 1, 2, 1, 1, 1, 0, 0], "gad7": [1, 0, 1, 1, 0, 1, 0]},
        "trials": [("sertraline", 200, 16, "no_change", False),
                   ("venlafaxine", 300, 12, "partial", False),
                   ("nortriptyline", 100, 10, "no_change", False),
                   ("phenelzine", 60, 20, "partial", True)],
        "therapy": {"other_therapy": ["talk"], "tms": "tried"},
        "medical": {"bp_systolic": 136, "bp_diastolic": 86, "bp_when": "this_week"},
        "notes": "Nardil helps a little. I follow the diet carefully.",
    },
    {  # 22: OCD, lives outside the US — outside_service_area (with SERVED_REGIONS), schedule
        "contact": ("Isabel Testa", "isabel.testa@example.org", "+1 604 555 0122", "email"),
        "born": aged(34, 10, 17), "sex": "female", "region": "other",
        "conditions": {"diagnosed": ["ocd"], "primary_concern": "ocd"},
        "symptoms": {"phq9": [1, 1, 1, 2, 0, 1, 1, 0, 0], "gad7": [2, 2, 2, 1, 1, 1, 1],
                     "ocd_time_per_day": "1_to_3h", "ybocs_last_score": 25},
        "trials": [("fluoxetine", 60, 12, "no_change", False),
                   ("sertraline", 200, 10, "partial", True)],
        "therapy": {"erp": "completed", "erp_sessions": 14, "erp_specialist": "yes"},
        "practical": {"schedule_ok": "unsure"},
        "notes": "I live in Vancouver but could stay with my sister in Seattle for a course.",
    },
    {  # 23: "completed" ERP in four sessions — answer_conflict, erp_course, sri_trials
        "contact": ("Ben Sample", "ben.sample@example.net", "+1 415 555 0123", "text"),
        "born": aged(44, 2, 20), "sex": "male", "region": "CA",
        "conditions": {"diagnosed": ["ocd"], "suspected": ["depression"],
                       "primary_concern": "ocd"},
        "symptoms": {"phq9": [1, 1, 1, 1, 1, 1, 1, 0, 0], "gad7": [2, 1, 2, 1, 1, 1, 1],
                     "ocd_time_per_day": "1_to_3h", "ybocs_last_score": None},
        "trials": [("fluvoxamine", 150, 10, "partial", False),
                   ("escitalopram", 20, None, "no_change", True)],
        "therapy": {"erp": "completed", "erp_sessions": 4, "erp_specialist": "unsure"},
        "practical": {"cost_concern": "some"},
        "notes": "I did a short weekend ERP workshop. Counting and checking the locks.",
    },
    {  # 24: severe score, unsure answers — severe_depression_score, not_determined
        "contact": ("Zoe Placeholder", "zoe.p@example.com", "+1 503 555 0124", "text"),
        "born": aged(22, 5, 29), "sex": "female", "region": "OR",
        "conditions": {"suspected": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [3, 3, 2, 3, 2, 3, 2, 2, 0], "phq9_difficulty": "extremely",
                     "gad7": [2, 2, 2, 2, 1, 2, 1]},
        "safety": {"psychosis_current": "unsure", "substance_use": "prefer_not_to_say"},
        "trials": [("citalopram", 20, 6, "no_change", True)],
        "practical": {"cost_concern": "major"},
        "notes": "I can't get out of bed most days. I'd rather talk about some things in person.",
    },
    {  # 25: irregular heartbeat — cardiovascular_history review only
        "contact": ("Hiro Testwood", "hiro.testwood@example.org", "+1 808 555 0125", "email"),
        "born": aged(50, 8, 8), "sex": "male", "region": "HI",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 1, 1, 1, 1, 1, 1, 0], "gad7": [1, 1, 0, 1, 1, 0, 0]},
        "trials": THREE_FAILED,
        "medical": {"bp_systolic": 128, "bp_diastolic": 82, "bp_when": "this_week",
                    "conditions": ["heart_rhythm"],
                    "other_medications_text": "Apixaban for atrial fibrillation"},
        "practical": {"payment": "insurance", "insurance_name": "Example Island Health"},
        "notes": "My cardiologist knows I am asking about this.",
    },
    {  # 26: depression after three failed trials, nothing else — no flags at all
        "contact": ("Nadia Example", "nadia.example@example.net", "+1 410 555 0126", "email"),
        "born": aged(37, 4, 4), "sex": "female", "region": "MD",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [2, 2, 2, 2, 1, 1, 1, 0, 0], "phq9_difficulty": "somewhat",
                     "gad7": [1, 1, 1, 1, 0, 0, 0]},
        "trials": THREE_FAILED,
        "therapy": {"other_therapy": ["talk", "cbt_without_exposure"]},
        "medical": {"bp_systolic": 114, "bp_diastolic": 70, "bp_when": "this_week"},
        "practical": {"payment": "insurance", "insurance_name": "Sample Health Plan"},
        "notes": "My psychiatrist referred me after the third medicine did not work.",
    },
    {  # 27: cost worry and no reading — info only (cost_concern, bp_unknown info)
        "contact": ("Omar Demo", "omar.demo@example.com", "+1 312 555 0127", "phone"),
        "born": aged(55, 1, 31), "sex": "male", "region": "IL",
        "conditions": {"diagnosed": ["depression"], "primary_concern": "depression"},
        "symptoms": {"phq9": [1, 2, 1, 2, 1, 1, 1, 0, 0], "gad7": [1, 1, 1, 0, 0, 1, 0]},
        "trials": THREE_FAILED,
        "medical": NO_READING,
        "practical": {"cost_concern": "some"},
        "notes": None,
    },
    {  # 28: chronic pain on an opioid, no ride — sedating_medication, transport
        "contact": ("Fatima Sampleton", "fatima.s@example.org", "+1 713 555 0128", "text"),
        "born": aged(42, 7, 7), "sex": "female", "region": "TX",
        "conditions": {"diagnosed": ["depression", "other"], "primary_concern": "other",
                       "other_text": "Chronic pain from fibromyalgia, and low mood"},
        "symptoms": {"phq9": [2, 2, 2, 3, 1, 1, 1, 1, 0], "gad7": [1, 1, 1, 1, 1, 1, 1]},
        "trials": [("duloxetine", 60, 16, "partial", True),
                   ("amitriptyline", 25, 8, "side_effects", False)],
        "medical": {"current_medications": ["opioid"],
                    "other_medications_text": "Tramadol 50 mg up to three times a day"},
        "practical": {"has_driver": "no"},
        "notes": "I live alone and my family is out of state. I could take a taxi if that is "
        "allowed.",
    },
    {  # 29: anxiety with suspected OCD, a past episode — psychosis_history, not_determined
        "contact": ("Leo Fixture", "leo.fixture@example.net", "+1 414 555 0129", "email"),
        "born": aged(23, 3, 21), "sex": "male", "region": "WI",
        "conditions": {"diagnosed": ["anxiety"], "suspected": ["ocd"],
                       "primary_concern": "anxiety"},
        "symptoms": {"phq9": [1, 1, 1, 1, 0, 1, 1, 0, 0], "gad7": [2, 3, 2, 2, 1, 2, 2],
                     "ocd_time_per_day": "unsure", "ybocs_last_score": None},
        "safety": {"psychosis_history": "yes"},
        "trials": [("sertraline", 50, 6, "worse", False)],
        "medical": {"ketamine_allergy": "unsure"},
        "notes": "When I was 19 I heard voices for a few weeks during exams. It has not "
        "happened since.",
    },
    {  # 30: PTSD and OCD both mentioned — off_label, cost_concern
        "contact": ("Maya Test", "maya.test@example.com", "+1 415 555 0130", "email"),
        "born": aged(32, 9, 15), "sex": "female", "region": "CA",
        "conditions": {"diagnosed": ["ptsd"], "suspected": ["ocd"], "primary_concern": "ptsd"},
        "symptoms": {"phq9": [1, 2, 2, 2, 1, 1, 1, 0, 0], "phq9_difficulty": "somewhat",
                     "gad7": [2, 2, 1, 2, 1, 2, 1],
                     "pcl5": [2, 2, 1, 2, 2, 2, 2, 1, 1, 2, 2, 1, 2, 1, 1, 2, 2, 1, 2, 2],
                     "ocd_time_per_day": "under_1h", "ybocs_last_score": None},
        "trials": [("sertraline", 150, 14, "partial", True)],
        "therapy": {"other_therapy": ["talk", "other"]},
        "practical": {"cost_concern": "some"},
        "notes": "EMDR helped some. I also do a lot of checking since the break-in.",
    },
    {  # 31: bipolar depression on lithium — bipolar review, antidepressant_trials
        "contact": ("Ahmed Example", "ahmed.example@example.org", "+1 602 555 0131", "text"),
        "born": aged(48, 10, 10), "sex": "male", "region": "AZ",
        "conditions": {"diagnosed": ["bipolar", "depression"],
                       "primary_concern": "bipolar_depression"},
        "symptoms": {"phq9": [2, 2, 2, 2, 1, 2, 1, 1, 0], "gad7": [1, 1, 1, 1, 0, 1, 0]},
        "safety": {"mania_history": "yes", "mood_stabilizers": ["lithium", "antipsychotic"]},
        "trials": [("bupropion", 300, 10, "no_change", False)],
        "medical": {"bp_systolic": 130, "bp_diastolic": 80, "bp_when": "within_6_months"},
        "practical": {"payment": "insurance", "insurance_name": "Demo Health"},
        "notes": "Stable on lithium for years but the depressions keep coming back every winter.",
    },
)
# fmt: on


def _trial(row: tuple[str, float | None, int | None, str, bool]) -> dict[str, Any]:
    medication, dose, weeks, outcome, current = row
    return {
        "medication": medication,
        "max_daily_dose_mg": dose,
        "duration_weeks": weeks,
        "outcome": outcome,
        "current": current,
    }


def _section(person: dict[str, Any], name: str) -> dict[str, Any]:
    return {**_DEFAULTS.get(name, {}), **person.get(name, {})}


def demo_document(person: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The canonical answer document of one DEMO_PEOPLE entry, evaluated on as_of."""
    name, email, phone, preferred = person["contact"]
    sex = person["sex"]
    symptoms = {"ybocs_last_score": None, **_section(person, "symptoms")}
    item9_positive = symptoms["phq9"][8] >= 1
    safety = {"suicide_plan_or_intent": "no" if item9_positive else None}
    safety |= _section(person, "safety")
    doc = {
        "questionnaire_version": 1,
        "consent": {"not_diagnostic_ack": True, "data_use_ack": True},
        "about": {
            "date_of_birth": person["born"](as_of).isoformat(),
            "sex_at_birth": sex,
            "pregnancy": person.get("pregnancy", None if sex == "male" else "none"),
            "region": person["region"],
        },
        "conditions": _section(person, "conditions"),
        "symptoms": symptoms,
        "safety": safety,
        "medication_trials": [_trial(row) for row in person.get("trials", [])],
        "therapy": _section(person, "therapy"),
        "medical": _section(person, "medical"),
        "practical": _section(person, "practical"),
        "contact": {
            "full_name": name,
            "email": email,
            "phone": phone,
            "preferred_contact": preferred,
        },
        "notes": person["notes"],
    }
    # A question added to the definition since gets its key, empty.
    return with_every_key(copy.deepcopy(doc))  # no list shared with the table or another document


def demo_documents(as_of: date) -> list[dict[str, Any]]:
    """About thirty fictional answer documents that between them raise every flag and level."""
    return [demo_document(person, as_of) for person in DEMO_PEOPLE]


def demo_created_times(count: int, now: datetime) -> list[datetime]:
    """`count` UTC times spread over the 21 days before now, oldest first, the same every call."""
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    window = int(CREATED_WINDOW.total_seconds() // 60) - 120  # newest at least 2 hours old
    times = []
    for i in range(max(count, 0)):
        wobble = ((i * 37) % 9 - 4) / 10  # -0.4 to 0.4 of a slot: not evenly spaced
        minutes_ago = 120 + int(window * (1 - (i + 0.5 + wobble) / count))
        times.append((now - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0))
    return times
