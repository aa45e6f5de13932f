"""The worked example of FLAGS.md answered as a person answers it: each field found by its
label, each question by its legend, each button by its name.

Each page is a list of steps. A step can be done with the mouse and keyboard as Playwright
does it (`do`), or with the keyboard alone (`do_by_keyboard`, in keyboard.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Locator, Page, expect

from tests.helpers import csrf_token, page_data


@dataclass(frozen=True)
class Check:
    """Tick a checkbox."""

    label: str

    def field(self, page: Page) -> Locator:
        return page.get_by_label(self.label)

    def do(self, page: Page) -> None:
        self.field(page).check()


@dataclass(frozen=True)
class Fill:
    """Type into a text box."""

    label: str
    text: str

    def field(self, page: Page) -> Locator:
        return page.get_by_label(self.label)

    def do(self, page: Page) -> None:
        self.field(page).fill(self.text)


@dataclass(frozen=True)
class Choose:
    """Pick one option of a question asked as a group of radio buttons or checkboxes."""

    question: str
    option: str

    def group(self, page: Page) -> Locator:
        return page.get_by_role("group", name=self.question)

    def field(self, page: Page) -> Locator:
        return self.group(page).get_by_label(self.option, exact=True)

    def do(self, page: Page) -> None:
        self.field(page).check()


@dataclass(frozen=True)
class Select:
    """Pick an option of a drop-down list."""

    label: str
    option: str

    def field(self, page: Page) -> Locator:
        return page.get_by_label(self.label)

    def do(self, page: Page) -> None:
        self.field(page).select_option(label=self.option)


@dataclass(frozen=True)
class Press:
    """Press a button that stays on the page (such as "Add a medicine")."""

    name: str

    def field(self, page: Page) -> Locator:
        return page.get_by_role("button", name=self.name, exact=True)

    def do(self, page: Page) -> None:
        with page.expect_navigation():  # the same page comes back from the server
            self.field(page).click()


Step = Check | Fill | Choose | Select | Press

NEVER_SOMETIMES = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ9_ITEMS = (
    "1. Little interest or pleasure in doing things",
    "2. Feeling down, depressed, or hopeless",
    "3. Trouble falling or staying asleep",
    "4. Feeling tired or having little energy",
    "5. Poor appetite or overeating",
    "6. Feeling bad about yourself",
    "7. Trouble concentrating on things",
    "8. Moving or speaking so slowly",
    "9. Thoughts that you would be better off dead",
)
GAD7_ITEMS = (
    "1. Feeling nervous, anxious, or on edge",
    "2. Not being able to stop or control worrying",
    "3. Worrying too much about different things",
    "4. Trouble relaxing",
    "5. Being so restless that it is hard to sit still",
    "6. Becoming easily annoyed or irritable",
    "7. Feeling afraid, as if something awful might happen",
)


def scale(items: tuple[str, ...], scores: list[int]) -> list[Step]:
    """One answer per item of a scale, by its score (0 = "Not at all")."""
    return [Choose(item, NEVER_SOMETIMES[score]) for item, score in zip(items, scores, strict=True)]


def mood_page(phq9: list[int], gad7: list[int]) -> list[Step]:
    return [
        *scale(PHQ9_ITEMS, phq9),
        Choose("how difficult have these problems made it for you", "Very difficult"),
        *scale(GAD7_ITEMS, gad7),
    ]


def medicine(number: int, name: str, dose: str, weeks: str, outcome: str, now: str) -> list[Step]:
    """The fields of one row of the medicines list."""
    suffix = f"(medicine {number})"
    return [
        Select(f"Medicine {suffix}", name),
        Fill(f"Highest dose each day, in mg {suffix}", dose),
        Fill(f"Weeks taken {suffix}", weeks),
        Choose(f"How did it go? {suffix}", outcome),
        Choose(f"Are you taking it now? {suffix}", now),
    ]


# The worked example (tests/data/worked_example.json), page by page: (page heading, steps).
WORKED_EXAMPLE: list[tuple[str, list[Step]]] = [
    (
        "Before you start",
        [
            Check("I understand this questionnaire does not diagnose me"),
            Check("I agree that the clinic may store my answers"),
        ],
    ),
    (
        "About you",
        [
            Fill("Date of birth", "1988-03-14"),
            Choose("Sex assigned at birth", "Female"),
            Choose(
                "Are you pregnant, planning to get pregnant, or breastfeeding?", "None of these"
            ),
            Select("Where do you live?", "California"),
        ],
    ),
    (
        "What brings you here",
        [
            Choose("Has a health professional diagnosed you with any of these?", "Depression"),
            Choose(
                "Has a health professional diagnosed you with any of these?",
                "Obsessive-compulsive disorder (OCD)",
            ),
            Choose("What do you most want help with?", "Obsessive-compulsive disorder (OCD)"),
        ],
    ),
    ("Mood and anxiety", mood_page([2, 2, 1, 2, 1, 1, 1, 0, 0], [2, 2, 2, 1, 1, 1, 1])),
    (
        "More about your symptoms",
        [
            Choose("how much time do obsessions or compulsions take up?", "More than 3 hours"),
            Fill("what was the most recent score?", "27"),
        ],
    ),
    (
        "Treatments you have tried",
        [
            Press("Add a medicine"),
            *medicine(1, "Sertraline (Zoloft)", "200", "14", "It helped a little", "No"),
            Press("Add another medicine"),
            *medicine(2, "Fluoxetine (Prozac)", "60", "12", "No change", "Yes"),
            Choose(
                "Have you had ERP (exposure and response prevention) therapy?",
                "I finished a course",
            ),
            Fill("About how many ERP sessions did you have?", "16"),
            Choose("Was your ERP therapist an OCD specialist?", "Yes"),
            Choose("Have you had any of these other therapies?", "Talk therapy or counseling"),
            Choose("Have you had TMS", "Never"),
            Choose("Have you had ketamine treatment before?", "Never"),
        ],
    ),
    (
        "Mood history and safety",
        [
            Choose("Have you ever tried to end your life?", "Never"),
            Choose("Have you ever seen or heard things that others could not?", "No"),
            Choose("In the past month, have you seen or heard things", "No"),
            Choose("Think of your parents, brothers, sisters and children.", "Not sure"),
            Choose("Have you ever had a time of several days", "No"),
            Choose("In the past two weeks, have you had several days", "No"),
            Choose("Have you ever had a problem with alcohol or drugs?", "Never"),
            Choose("Have you ever used ketamine, esketamine or PCP", "No"),
        ],
    ),
    (
        "Physical health and medicines",
        [
            Fill("Your most recent blood pressure: top number", "124"),
            Fill("Your most recent blood pressure: bottom number", "78"),
            Choose("When was that reading taken?", "This month"),
            Choose("told you that you have high blood pressure?", "No"),
            Choose("Do you take medicine for blood pressure?", "No"),
            Choose("allergic reaction to ketamine or esketamine", "No"),
        ],
    ),
    (
        "Practical matters",
        [
            Choose("How much of a concern is cost for you?", "Some concern"),
            Choose("How do you expect to pay?", "I will pay myself"),
            Choose("Do you have someone who can take you home?", "Yes"),
            Choose("Could you attend?", "Yes"),
        ],
    ),
    (
        "How we can reach you, and anything else",
        [
            Fill("Full name", "Alex Example"),
            Fill("Email address", "alex@example.org"),
            Fill("Phone number", "+1 415 555 0100"),
            Choose("How should we contact you?", "Email"),
            Fill("Anything else you would like the clinician to know", "Free text in my words."),
        ],
    ),
]

# What the worked example's summary lists under "Topics your clinician will want to talk
# about": the patient_text of its two flags, off_label and cost_concern (FLAGS.md).
WORKED_EXAMPLE_TOPICS = [
    "What is known about ketamine treatment for what you most want help with",
    "Cost and payment",
]


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def continue_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Continue", exact=True)


def expect_page(page: Page, title: str) -> None:
    expect(heading(page)).to_have_text(title)


def answer_by_http(page: Page, doc: dict[str, Any]) -> list[str]:
    """Answer every page the document's answers show by posting the forms from this page's
    browser context (its cookies), without rendering them; stop at the review page.
    Returns the addresses of the pages answered. For tests about what comes after."""
    answered = []
    slug = "start"
    for _ in range(20):
        url = f"/questionnaire/{slug}"
        form = page.request.get(url)
        pairs = [("csrf_token", csrf_token(form.text()))]
        pairs += [
            (name, value) for name, values in page_data(slug, doc).items() for value in values
        ]
        response = page.request.post(
            url,
            data=urlencode(pairs),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            max_redirects=0,
        )
        assert response.status == 302, f"{url}: {response.status}\n{response.text()[:2000]}"
        answered.append(url)
        location = response.headers["location"]
        if location.endswith("/questionnaire/review"):
            return answered
        slug = location.rsplit("/", 1)[-1]
    raise AssertionError("the questionnaire never reached the review page")


def submit_by_http(page: Page) -> None:
    """Press "Submit my answers" on the review page, by posting its form."""
    review = page.request.get("/questionnaire/review")
    response = page.request.post(
        "/questionnaire/submit",
        form={"csrf_token": csrf_token(review.text())},
        max_redirects=0,
    )
    assert response.status == 302, response.text()[:2000]
