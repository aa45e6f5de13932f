"""The review queue's pages: read by page number, and by the row a "Next page" or "Previous
page" link carries, the same rows in the same order whichever way a page is reached."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from screening.clinician import queue as queue_module
from screening.extensions import db
from screening.models import Submission
from tests.clinician_helpers import (
    counts_submissions,
    recorded_statements,
    references_in,
    review_doc,
    text_of,
    urgent_doc,
)
from tests.helpers import worked_example

# Three highest levels, two statuses, and four submissions to each minute: pages cross from
# one rank to the next, and rows of the same minute are ordered by id.
DOCS = (worked_example, review_doc, urgent_doc)
STATUSES = ("new", "reviewed")
STORED = 70
FILTERS = ["", "status=new", "level=urgent", "status=reviewed&level=review", "level=info"]


@pytest.fixture
def queue_of_70(make_submission, sign_in_as):
    start = datetime.now(UTC) - timedelta(days=30)
    for n in range(STORED):
        make_submission(DOCS[n % 3](), start + timedelta(minutes=n // 4), status=STATUSES[n % 2])
    sign_in_as("clinician")


def _follow(client, path: str | None, rel: str) -> list[list[str]]:
    """The references of each page met following the `rel` links from `path`."""
    pages = []
    while path:
        response = client.get(path)
        assert response.status_code == 200
        pages.append(references_in(response))
        link = re.search(rf'href="([^"]+)" rel="{rel}"', response.get_data(as_text=True))
        path = html.unescape(link.group(1)) if link else None
    return pages


def _by_number(client, query: str, pages: int = 4) -> list[str]:
    """Pages 1 to `pages` by their number alone: references and the "Page x of y" line."""
    seen = []
    for number in range(1, pages + 1):
        response = client.get(f"/clinician/?page={number}&{query}")
        line = re.search(r"Page \d+ of \d+ \(\d+ in all\)", text_of(response))
        seen.append(f"{references_in(response)} {line.group(0) if line else ''}")
    return seen


@pytest.mark.usefixtures("queue_of_70")
@pytest.mark.parametrize("query", ["", "status=new"])
def test_previous_links_seek_back_to_the_pages_read_by_number(client, query):
    suffix = f"&{query}" if query else ""
    by_number = [references_in(client.get(f"/clinician/?page={n}{suffix}")) for n in (1, 2, 3)]
    last = len([refs for refs in by_number if refs])
    backwards = _follow(client, f"/clinician/?page={last}{suffix}", "prev")
    assert backwards[::-1] == by_number[:last]
    assert sum(len(refs) for refs in backwards) == (STORED if not query else STORED // 2)


@pytest.mark.usefixtures("queue_of_70")
def test_previous_link_carries_the_first_row_only_where_it_helps(client):
    third = client.get("/clinician/?page=3").get_data(as_text=True)
    second = client.get("/clinician/?page=2").get_data(as_text=True)
    prev_of_third = html.unescape(re.search(r'href="([^"]+)" rel="prev"', third).group(1))
    prev_of_second = html.unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert re.fullmatch(r"/clinician/\?page=2&before=\d+", prev_of_third)
    assert prev_of_second == "/clinician/?page=1"  # the first page is read from the start


@pytest.mark.usefixtures("queue_of_70")
def test_a_previous_link_whose_row_is_gone_or_too_near_the_start_goes_by_page_number(app, client):
    def ids_of(references: list[str]) -> list[int]:
        with app.app_context():
            return [
                db.session.scalar(db.select(Submission.id).where(Submission.reference == ref))
                for ref in references
            ]

    first, second, third = (references_in(client.get(f"/clinician/?page={n}")) for n in (1, 2, 3))
    # Ten rows come before the eleventh: seeking back would give a short page.
    assert references_in(client.get(f"/clinician/?page=2&before={ids_of(first)[10]}")) == second
    gone = ids_of(second)[0]
    with app.app_context():
        db.session.execute(delete(Submission).where(Submission.id == gone))
        db.session.commit()
    after_delete = references_in(client.get(f"/clinician/?page=2&before={gone}"))
    assert after_delete == references_in(client.get("/clinician/?page=2"))
    assert after_delete == [*second[1:], third[0]]  # one row gone: the rest moved up by one


@pytest.mark.usefixtures("queue_of_70")
@pytest.mark.parametrize("query", [*FILTERS, "flag=suicide_risk"])
def test_deep_pages_by_number_read_the_rows_an_offset_reads(client, monkeypatch, query):
    """Past DEFERRED_JOIN_FROM a page's ids come off the index (stepping over whole ranks
    when the counts allow), then its rows: the same pages as a plain LIMIT/OFFSET."""
    plain = _by_number(client, query)
    monkeypatch.setattr(queue_module, "DEFERRED_JOIN_FROM", 0)
    assert _by_number(client, query) == plain
    assert any(refs.startswith("['") for refs in plain)  # the filter matches something


@pytest.mark.usefixtures("queue_of_70")
@pytest.mark.parametrize(
    ("query", "in_all"),
    [("", STORED), ("status=new", 35), ("level=urgent", 23), ("status=new&level=urgent", 12)],
)
def test_queue_filtered_by_status_and_level_takes_its_length_from_the_counts(
    app, client, monkeypatch, query, in_all
):
    monkeypatch.setattr(queue_module, "PER_PAGE", 10)  # every filter here gives two pages
    with recorded_statements(app) as statements:
        text = text_of(client.get(f"/clinician/?{query}"))
    assert f"({in_all} in all)" in text
    assert not counts_submissions(statements), statements
