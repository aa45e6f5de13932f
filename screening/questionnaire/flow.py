"""Moving through the pages: which are shown, which come next, which are still to do."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from .schema import PAGES, PAGES_BY_SLUG, REVIEW
from .types import Document, Page
from .validate import validate_page


def visible_pages(doc: Document) -> list[Page]:
    """The pages this person is asked, in order, ending with the review page."""
    return [page for page in PAGES if page.is_shown(doc)]


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
