"""The review queue as queries: most urgent first, then oldest first; filters; counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import CompoundSelect, Select, exists, select, tuple_, union_all
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Submission, SubmissionFlag
from ..queue_counts import current_counts
from ..rules.levels import LEVEL_OF_RANK, LEVEL_RANK
from .forms import NO_FLAGS, QueueFilterForm
from .workspace import clinic_zone

PER_PAGE = 25
# Most urgent first, then oldest first; the queue indexes are in this order (migration 0004).
QUEUE_ORDER = (
    Submission.highest_level_rank.desc(),
    Submission.created_at.asc(),
    Submission.id.asc(),
)
# The same order backwards, for reading the rows before a place: the same indexes, read
# from the other end.
BACKWARDS = (
    Submission.highest_level_rank.asc(),
    Submission.created_at.desc(),
    Submission.id.desc(),
)


def day_start(day: date) -> datetime:
    """Midnight at the start of a day as the clinic counts days (CLINIC_TIMEZONE), in UTC: the
    filters' dates are the clinic's dates, the stored times are UTC."""
    return datetime.combine(day, time.min, tzinfo=clinic_zone()).astimezone(UTC)


def _status_and_rank(data: dict[str, Any]) -> tuple[str | None, int | None]:
    """The status and the highest-level rank the filters ask for (None: any)."""
    rank = 0 if data.get("level") == NO_FLAGS else LEVEL_RANK.get(data.get("level") or "")
    return data.get("status") or None, rank


def queue_query(filters: QueueFilterForm) -> Select[tuple[Submission]]:
    """Submissions matching the filters, in queue order; nothing is loaded until paginated."""
    # The answers are not shown in the queue: never load or decrypt them here.
    query = select(Submission).options(defer(Submission.answers))
    data = filters.data
    status, rank = _status_and_rank(data)
    if status is not None:
        query = query.where(Submission.status == status)
    if rank is not None:
        # The rank, not the name: the queue index (rank, created_at) serves the filter.
        query = query.where(Submission.highest_level_rank == rank)
    if data.get("flag"):
        query = query.where(
            exists().where(
                SubmissionFlag.submission_id == Submission.id,
                SubmissionFlag.flag_id == data["flag"],
            )
        )
    if data.get("submitted_from"):
        query = query.where(Submission.created_at >= day_start(data["submitted_from"]))
    if data.get("submitted_to"):
        query = query.where(
            Submission.created_at < day_start(data["submitted_to"] + timedelta(days=1))
        )
    if data.get("reference"):
        code = "".join(ch for ch in data["reference"].upper() if ch.isalnum())
        query = query.where(Submission.reference == code)
    return query.order_by(*QUEUE_ORDER)


# Below this many skipped rows a plain LIMIT/OFFSET is cheaper than two queries.
DEFERRED_JOIN_FROM = 500


class QueuePagination(SelectPagination):
    """A page of the queue, read without loading the rows it skips.

    The "Next page" link carries `after` (the id of this page's last row) and "Previous page"
    carries `before` (the id of its first): the page is read from that row's place in the
    queue index, a seek however deep. Without them (a typed or bookmarked `?page=`, or that
    row is gone) a deep page is a deferred join in one statement: its ids come off the queue
    index alone, OFFSET skipping index entries, never table rows, and only those rows are
    loaded. When the counts table gives how many rows match at each rank (`ranks`), the
    ranks wholly before the page are stepped over, and OFFSET skips only within the rank the
    page starts in.
    """

    def _query_items(self) -> list[Any]:
        query: Select[tuple[Submission]] = self._query_args["select"]
        for key, forward in (("after", True), ("before", False)):
            row_id: int | None = self._query_args.get(key)
            if row_id is not None:
                rows = _rows_beside(query, row_id, self.per_page, forward=forward)
                if rows is not None:
                    return rows
        if self._query_offset < DEFERRED_JOIN_FROM:
            return list(db.session.scalars(query.limit(self.per_page).offset(self._query_offset)))
        ids = _ids_at(
            query.with_only_columns(Submission.id),
            self._query_offset,
            self.per_page,
            self._query_args.get("ranks"),
        )
        if ids is None:
            return []
        return list(db.session.scalars(query.where(Submission.id.in_(ids)).limit(self.per_page)))

    @property
    def next_args(self) -> dict[str, int]:
        """What the "Next page" link adds to `page=`: where this page ended."""
        return {"after": self.items[-1].id} if self.items else {}

    @property
    def prev_args(self) -> dict[str, int]:
        """What the "Previous page" link adds to `page=`: where this page began (not needed
        for the first page, which is read from the start)."""
        return {"before": self.items[0].id} if self.items and self.page > 2 else {}


def _rows_beside(
    query: Select[tuple[Submission]], row_id: int, limit: int, *, forward: bool
) -> list[Submission] | None:
    """The `limit` rows in queue order just after submission `row_id` (forward) or just
    before it; None if it is gone, or if fewer than `limit` rows come before it (the page
    number then places the page).

    The order mixes directions (rank descending, then date and id ascending), so the seek is
    two index ranges: the rest of that row's rank, then (when short) the next ranks."""
    place = db.session.execute(
        select(Submission.highest_level_rank, Submission.created_at).where(Submission.id == row_id)
    ).one_or_none()
    if place is None:
        return None
    rank, created_at = place
    row_key, key = tuple_(Submission.created_at, Submission.id), tuple_(created_at, row_id)
    if forward:
        same_rank, next_ranks = row_key > key, Submission.highest_level_rank < rank
    else:
        query = query.order_by(None).order_by(*BACKWARDS)
        same_rank, next_ranks = row_key < key, Submission.highest_level_rank > rank
    this_rank = query.where(Submission.highest_level_rank == rank, same_rank)
    rows = list(db.session.scalars(this_rank.limit(limit)))
    if len(rows) < limit:
        rows += db.session.scalars(query.where(next_ranks).limit(limit - len(rows)))
    if forward:
        return rows
    return rows[::-1] if len(rows) == limit else None


def _ids_at(
    ids: Select[tuple[int]], offset: int, limit: int, ranks: Mapping[int, int] | None
) -> Select[tuple[int]] | CompoundSelect | None:
    """A query for the ids of `limit` rows from row `offset` of the queue (None: past the end).
    With the number of rows at each rank, the index entries of the ranks before the page are
    never read: the page is its first rank's rows from the offset within that rank, then
    (when that rank runs out) the rows of the ranks below, in one statement."""
    if ranks is None:
        return ids.limit(limit).offset(offset)
    for rank in sorted(ranks, reverse=True):
        if offset >= ranks[rank]:
            offset -= ranks[rank]
            continue
        starts = ids.where(Submission.highest_level_rank == rank).limit(limit).offset(offset)
        goes_on = ids.where(Submission.highest_level_rank < rank).limit(limit)
        # LIMIT inside a UNION needs subqueries (SQLite).
        return union_all(*(select(part.subquery().c.id) for part in (starts, goes_on)))
    return None


def queue_page(
    query: Select[tuple[Submission]],
    *,
    page: int,
    ranks: Mapping[int, int] | None,
    after: int | None = None,
    before: int | None = None,
) -> QueuePagination:
    """Page `page` of the queue, continuing from submission `after` or back from `before`
    when given; `ranks` (how many match at each rank) gives the length without counting."""
    pagination = QueuePagination(
        select=query,
        page=page,
        session=db.session,
        after=after,
        before=before,
        ranks=ranks,
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
        count=ranks is None,
    )
    if ranks is not None:
        pagination.total = sum(ranks.values())
    return pagination


def counts() -> dict[str, Any]:
    """How many submissions there are by status, by highest level, by both and in all: read
    from the counts table (fifteen rows), never by counting the submissions."""
    by_status: Counter[str] = Counter()
    by_level: Counter[str | None] = Counter()
    by_both: Counter[tuple[str, int]] = Counter()
    for status, rank, count in current_counts():
        by_status[status] += count
        by_level[LEVEL_OF_RANK.get(rank)] += count
        by_both[(status, rank)] += count
    return {
        "status": by_status,
        "level": by_level,
        "status_and_rank": by_both,
        "total": sum(by_status.values()),
    }


def matching_by_rank(filters: QueueFilterForm, totals: dict[str, Any]) -> dict[int, int] | None:
    """How many submissions match the filters at each rank, read off `counts()`, when the
    filters narrow by status and level alone; None when they narrow by anything else."""
    if any(
        value
        for name, value in filters.data.items()
        if name not in ("csrf_token", "status", "level")
    ):
        return None
    status, only_rank = _status_and_rank(filters.data)
    by_rank: Counter[int] = Counter()
    for (row_status, rank), count in totals["status_and_rank"].items():
        if status in (None, row_status) and only_rank in (None, rank):
            by_rank[rank] += count
    return dict(by_rank)
