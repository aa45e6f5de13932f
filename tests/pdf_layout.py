"""What a printed page looks like to a reader: words that overlap, words off the paper.

Used by the WeasyPrint tests (tests/test_print_layout.py) and the Chromium ones
(tests/browser/test_print.py): the same checks for both engines.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import pdfplumber

from screening import rules
from screening.demo import demo_documents

# Most printers cannot print the outer 5 mm of the sheet; text there may be cut off.
UNPRINTABLE_EDGE_PT = 5 / 25.4 * 72
# Glyph boxes come from the font's ascent and descent: neighbours may touch by a hair.
TOLERANCE_PT = 0.5


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    def overlaps(self, other: Word) -> bool:
        across = min(self.x1, other.x1) - max(self.x0, other.x0)
        down = min(self.bottom, other.bottom) - max(self.top, other.top)
        return across > TOLERANCE_PT and down > TOLERANCE_PT


@dataclass(frozen=True)
class PrintedPage:
    number: int
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        # NFKC turns the typeset ligatures (such as "ﬀ" in "Off-label") back into letters.
        return " ".join(unicodedata.normalize("NFKC", w.text) for w in self.words)


def printed_pages(pdf: bytes) -> list[PrintedPage]:
    """Each page of the PDF with the box of every word on it."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            words = [
                Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
                for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            ]
            pages.append(PrintedPage(number, float(page.width), float(page.height), words))
    return pages


def layout_problems(pages: list[PrintedPage]) -> list[str]:
    """Every pair of words printed over each other and every word outside the printable area."""
    problems = []
    edge = UNPRINTABLE_EDGE_PT
    for page in pages:
        words = sorted(page.words, key=lambda w: w.top)
        for index, word in enumerate(words):
            if (
                word.x0 < edge
                or word.top < edge
                or word.x1 > page.width - edge
                or word.bottom > page.height - edge
            ):
                problems.append(f"page {page.number}: {word.text!r} is outside the printable area")
            for other in words[index + 1 :]:
                if other.top >= word.bottom:
                    break
                if word.overlaps(other):
                    problems.append(
                        f"page {page.number}: {word.text!r} and {other.text!r} overlap "
                        f"at ({word.x0:.0f}, {word.top:.0f})"
                    )
    return problems


def missing_running_header(
    pages: list[PrintedPage], expected: list[str], numbered: str = "Page {page} of {pages}"
) -> list[str]:
    """Pages that lack any of the expected strings, or their own "Page x of y" (as `numbered`
    says it in the page's language)."""
    problems = []
    for page in pages:
        text = re.sub(r"\s+", " ", page.text)
        for needed in [*expected, numbered.format(page=page.number, pages=len(pages))]:
            if needed not in text:
                problems.append(f"page {page.number} does not show {needed!r}")
    return problems


def longest_demo_documents(as_of: date) -> dict[str, dict[str, Any]]:
    """The demo documents with the most flags, the most medication trials and the longest notes."""
    documents = demo_documents(as_of)
    thresholds = rules.Thresholds()
    return {
        "most-flags": max(documents, key=lambda d: len(rules.evaluate(d, as_of, thresholds).flags)),
        "most-trials": max(documents, key=lambda d: len(d.get("medication_trials") or [])),
        "longest-notes": max(documents, key=lambda d: len(d.get("notes") or "")),
    }
