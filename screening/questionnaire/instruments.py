"""PHQ-9, GAD-7 and PCL-5 exactly as published (INSTRUMENTS.md): items, options, scoring."""

from __future__ import annotations

from dataclasses import dataclass

from .words import N_

# N_ marks the PHQ-9 and GAD-7 words for the catalogue, whose Spanish is the publisher's
# Spanish (USA) version exactly (SPANISH.md; tests/test_spanish.py compares every string).
FREQUENCY_OPTIONS: tuple[tuple[int, str], ...] = (
    (0, N_("Not at all")),
    (1, N_("Several days")),
    (2, N_("More than half the days")),
    (3, N_("Nearly every day")),
)

PCL5_OPTIONS: tuple[tuple[int, str], ...] = (
    (0, "Not at all"),
    (1, "A little bit"),
    (2, "Moderately"),
    (3, "Quite a bit"),
    (4, "Extremely"),
)

SPITZER_CREDIT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)


@dataclass(frozen=True)
class Instrument:
    """A validated scale: shown verbatim, scored as a sum of its items."""

    key: str
    name: str
    instruction: str
    items: tuple[str, ...]
    options: tuple[tuple[int, str], ...]
    credit: str
    stem: str | None = None
    # (lowest total, band) in ascending order; empty when the scale reports a cut-off instead.
    bands: tuple[tuple[int, str], ...] = ()
    loinc_panel: str | None = None
    loinc_total: str | None = None
    loinc_items: tuple[str, ...] = ()
    loinc_answers: tuple[str, ...] = ()
    # False for a scale with no confirmed translation: shown in English in every language.
    translated: bool = True

    @property
    def max_item(self) -> int:
        return self.options[-1][0]

    @property
    def max_total(self) -> int:
        return self.max_item * len(self.items)

    def option_label(self, value: int) -> str:
        return dict(self.options)[value]

    def band(self, total: int) -> str:
        """The published severity band for a total."""
        return band_for(total, self.bands)


def band_for(total: int, bands: tuple[tuple[int, str], ...]) -> str:
    """The band whose lower bound is the highest one not above `total`."""
    found = bands[0][1]
    for lowest, name in bands:
        if total >= lowest:
            found = name
    return found


PHQ9 = Instrument(
    key="phq9",
    name="PHQ-9",
    instruction=N_(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=(
        N_("Little interest or pleasure in doing things"),
        N_("Feeling down, depressed, or hopeless"),
        N_("Trouble falling or staying asleep, or sleeping too much"),
        N_("Feeling tired or having little energy"),
        N_("Poor appetite or overeating"),
        N_(
            "Feeling bad about yourself — or that you are a failure or have let yourself or your "
            "family down"
        ),
        N_("Trouble concentrating on things, such as reading the newspaper or watching television"),
        N_(
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
            "being so fidgety or restless that you have been moving around a lot more than usual"
        ),
        N_("Thoughts that you would be better off dead or of hurting yourself in some way"),
    ),
    options=FREQUENCY_OPTIONS,
    credit=SPITZER_CREDIT,
    bands=(
        (0, "minimal"),
        (5, "mild"),
        (10, "moderate"),
        (15, "moderately_severe"),
        (20, "severe"),
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
    loinc_items=(
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ),
    loinc_answers=("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"),
)

PHQ9_DIFFICULTY_QUESTION = N_(
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
PHQ9_DIFFICULTY_OPTIONS: tuple[tuple[str, str], ...] = (
    ("not_difficult", N_("Not difficult at all")),
    ("somewhat", N_("Somewhat difficult")),
    ("very", N_("Very difficult")),
    ("extremely", N_("Extremely difficult")),
)

GAD7 = Instrument(
    key="gad7",
    name="GAD-7",
    instruction=N_(
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    ),
    items=(
        N_("Feeling nervous, anxious, or on edge"),
        N_("Not being able to stop or control worrying"),
        N_("Worrying too much about different things"),
        N_("Trouble relaxing"),
        N_("Being so restless that it is hard to sit still"),
        N_("Becoming easily annoyed or irritable"),
        N_("Feeling afraid, as if something awful might happen"),
    ),
    options=FREQUENCY_OPTIONS,
    credit=SPITZER_CREDIT,
    bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    loinc_panel="69737-5",
    loinc_total="70274-6",
)

PCL5 = Instrument(
    key="pcl5",
    name="PCL-5",
    instruction=(
        "Below is a list of problems that people sometimes have in response to a very "
        "stressful experience. Please read each problem carefully and then select one of the "
        "options to indicate how much you have been bothered by that problem in the past month."
    ),
    stem="In the past month, how much were you bothered by:",
    items=(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening "
        "again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful "
        "experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, "
        "conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for "
        "example, having thoughts such as: I am bad, there is something seriously wrong with "
        "me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness "
        "or have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    options=PCL5_OPTIONS,
    translated=False,
    credit=(
        "PCL-5 (Weathers, Litz, Keane, Palmieri, Marx & Schnurr, 2013), National Center for PTSD."
    ),
)

INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (PHQ9, GAD7, PCL5)}

# Y-BOCS is licensed: only a clinician-measured total is asked for, never its items.
YBOCS_BANDS: tuple[tuple[int, str], ...] = (
    (0, "subclinical"),
    (8, "mild"),
    (16, "moderate"),
    (24, "severe"),
    (32, "extreme"),
)

BAND_LABELS: dict[str, str] = {
    "minimal": N_("minimal"),
    "mild": N_("mild"),
    "moderate": N_("moderate"),
    "moderately_severe": N_("moderately severe"),
    "severe": N_("severe"),
    "subclinical": N_("subclinical"),
    "extreme": N_("extreme"),
}


def total(answers: list[int]) -> int:
    """The sum of a scale's item scores."""
    return sum(answers)
