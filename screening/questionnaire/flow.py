"""Moving through the pages: which are shown, which come next, which are still to do, and where
each request goes next. Pure functions of the answers: no Flask, no database."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

from .schema import PAGES, PAGES_BY_SLUG, REVIEW, empty_document
from .types import Document, Kind, Page, Question
from .validate import clear_hidden, validate, validate_page
from .words import with_language

__all__ = [
    "CONTINUE",
    "FIRST_PAGE",
    "REVIEW",
    "SAVE_FOR_LATER",
    "Elsewhere",
    "Place",
    "RowChange",
    "after_crisis",
    "after_save",
    "as_sent",
    "first_incomplete",
    "instead_of",
    "next_page",
    "previous_page",
    "progress",
    "question_page",
    "ready_to_submit",
    "row_change",
    "unanswered",
    "visible_pages",
]

FIRST_PAGE = PAGES[0]

# The values of a page's own buttons (name="action"); a group's buttons name themselves.
CONTINUE = "continue"
SAVE_FOR_LATER = "save-later"


class Elsewhere(StrEnum):
    """Where a request can lead that is not a page of the questionnaire."""

    CRISIS = "crisis"
    SAVE_FOR_LATER = "save for later"


Place = Page | Elsewhere


def visible_pages(doc: Document) -> list[Page]:
    """The pages this person is asked, in order, ending with the review page."""
    return [page for page in PAGES if page.is_shown(doc)]


def question_page(slug: str) -> Page | None:
    """The page of questions at `slug`; None for an unknown slug or the review page."""
    page = PAGES_BY_SLUG.get(slug)
    return page if page is not None and page is not REVIEW else None


def unanswered() -> Document:
    """The answers of someone who has not started: nothing answered, hidden answers cleared.
    Each call gets a copy of its own, read from JSON worked out once per process (it holds no
    answer): working it out was a twentieth of the first page."""
    return json.loads(_unanswered_json())


@cache
def _unanswered_json() -> str:
    return json.dumps(clear_hidden(empty_document()))


def next_page(page: Page, doc: Document) -> Page:
    """The shown page after `page` (the review page after the last question page)."""
    pages = visible_pages(doc)
    later = [p for p in pages if PAGES.index(p) > PAGES.index(page)]
    return later[0] if later else REVIEW


def after_crisis(doc: Document) -> Page:
    """Where the crisis page continues: the page after the one that led there."""
    return next_page(next(p for p in PAGES if p.crisis_after is not None), doc)


def previous_page(page: Page, doc: Document) -> Page | None:
    """The shown page before `page`, or None on the first page."""
    earlier = [p for p in visible_pages(doc) if PAGES.index(p) < PAGES.index(page)]
    return earlier[-1] if earlier else None


def is_complete(page: Page, doc: Document, completed: Collection[str], as_of: date) -> bool:
    """Saved at least once, and its answers still pass (branching may have cleared some)."""
    return page.slug in completed and not validate_page(page, doc, as_of)


def first_incomplete(doc: Document, completed: Collection[str], as_of: date) -> Page | None:
    """The first shown question page still to be answered, or None when all are done."""
    for page in visible_pages(doc):
        if page is not REVIEW and not is_complete(page, doc, completed, as_of):
            return page
    return None


def progress(page: Page, doc: Document) -> tuple[int, int]:
    """(step, number of steps): a page shown within another's step (`step_of`) is not a step."""
    steps = [p for p in visible_pages(doc) if p.step_of is None]
    current = PAGES_BY_SLUG[page.step_of] if page.step_of else page
    if current not in steps:  # a page that the answers no longer show
        return 1, len(steps)
    return steps.index(current) + 1, len(steps)


# --- Where a request goes next --------------------------------------------------------------


def instead_of(
    page: Page, doc: Document, completed: Collection[str], as_of: date, *, started: bool
) -> Page | None:
    """The page to open instead of `page`, or None to open `page`: the first page for someone
    who has not started, the next page when the answers skip this one, and the first page
    still to answer when that comes earlier (pages cannot be skipped)."""
    if not started and page is not FIRST_PAGE:
        return FIRST_PAGE
    if not page.is_shown(doc):
        return next_page(page, doc)
    pending = first_incomplete(doc, completed, as_of)
    if pending is not None and PAGES.index(pending) < PAGES.index(page):
        return pending
    return None


def after_save(
    page: Page,
    doc: Document,
    completed: Collection[str],
    as_of: date,
    *,
    action: str,
    back_to_review: bool,
) -> Place:
    """Where a page leads once its answers are saved (`completed` includes it): "Save and
    continue later" to its own page; an answer the page names in `crisis_after` to the crisis
    page; from an Edit link on the review page back there (or to the first page still to
    answer); otherwise to the next shown page."""
    if action == SAVE_FOR_LATER:
        return Elsewhere.SAVE_FOR_LATER
    if page.crisis_after is not None and page.crisis_after(doc):
        return Elsewhere.CRISIS
    if back_to_review:
        return first_incomplete(doc, completed, as_of) or REVIEW
    return next_page(page, doc)


@dataclass(frozen=True)
class RowChange:
    """A button of a repeating group: the page comes back with a row more or less, unsaved."""

    question: Question
    add: bool = False
    remove: int | None = None  # the row to remove, 0-based


def row_change(page: Page, action: str) -> RowChange | None:
    """What `action` asks of the page's repeating group: Add, Remove row n, or (a button the
    group does not know) nothing, but the page is still not saved. None for Continue, Save and
    continue later, and on a page without a repeating group: the page is saved."""
    if action in (CONTINUE, SAVE_FOR_LATER):
        return None
    groups = [question for question in page.questions if question.kind is Kind.GROUP]
    for question in groups:
        group = question.answer_type
        if action == group.add_action:
            return RowChange(question, add=True)
        if (index := group.removed_row(action)) is not None:
            return RowChange(question, remove=index)
    return RowChange(groups[0]) if groups else None


def as_sent(doc: Document, language: str) -> Document:
    """The answers as submitted in `language`: a switch of language on the review page changes
    the document's language (and what it shows); otherwise the document stays as saved."""
    if doc.get("language") == with_language(doc, language).get("language"):
        return doc
    return clear_hidden(with_language(doc, language))


def ready_to_submit(doc: Document, completed: Collection[str], as_of: date) -> bool:
    """Every shown page saved and the whole document valid."""
    return not validate(doc, as_of) and first_incomplete(doc, completed, as_of) is None
