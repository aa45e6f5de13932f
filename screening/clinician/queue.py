"""The review queue as queries: most urgent first, then oldest first; filters; counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, exists, select, tuple_
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Submission, SubmissionFlag
from ..queue_counts import current_counts
from ..rules.levels import LEVEL_OF_RANK, LEVEL_RANK
from .forms import NO_FLAGS, QueueFilterForm
from .workspace import clinic_zone

PER_PAGE = 25


def day_start(day: date) -> datetime:
    """Midnight at the start of a day as the clinic counts days (CLINIC_TIMEZONE), in UTC: the
    filters' dates are the clinic's dates, the stored times are UTC."""
    return datetime.combine(day, time.min, tzinfo=clinic_zone()).astimezone(UTC)


def queue_query(filters: QueueFilterForm) -> Select[tuple[Submission]]:
    """Submissions matching the filters, in queue order; nothing is loaded until paginated."""
    # The answers are not shown in the queue: never load or decrypt them here.
    query = select(Submission).options(defer(Submission.answers))
    data = filters.data
    if data.get("status"):
        query = query.where(Submission.status == data["status"])
    if data.get("level") == NO_FLAGS:
        query = query.where(Submission.highest_level_rank == 0)
    elif data.get("level") in LEVEL_RANK:
        # The rank, not the name: the queue index (rank, created_at) serves the filter.
        query = query.where(Submission.highest_level_rank == LEVEL_RANK[data["level"]])
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
    return query.order_by(
        Submission.highest_level_rank.desc(), Submission.created_at.asc(), Submission.id.asc()
    )


# Below this many skipped rows a plain LIMIT/OFFSET is cheaper than two queries.
DEFERRED_JOIN_FROM = 500


class QueuePagination(SelectPagination):
    """A page of the queue, read without loading the rows it skips.

    With `after` (the id of the previous page's last row, which the "Next page" link carries)
    the page starts right after that row's place in the queue index: a seek, however deep.
    Without it (`?page=` alone, or that row is gone), a deep page is a deferred join: its ids
    come off the queue index alone, OFFSET skipping index entries, never table rows; then
    only those rows are loaded.
    """

    def _query_items(self) -> list[Any]:
        query: Select[tuple[Submission]] = self._query_args["select"]
        after: int | None = self._query_args.get("after")
        if after is not None:
            rows = _rows_after(query, after, self.per_page)
            if rows is not None:
                return rows
        if self._query_offset < DEFERRED_JOIN_FROM:
            return list(db.session.scalars(query.limit(self.per_page).offset(self._query_offset)))
        ids_query = query.with_only_columns(Submission.id)
        ids = list(db.session.scalars(ids_query.limit(self.per_page).offset(self._query_offset)))
        if not ids:
            return []
        by_id = {row.id: row for row in db.session.scalars(query.where(Submission.id.in_(ids)))}
        return [by_id[id_] for id_ in ids if id_ in by_id]

    @property
    def next_args(self) -> dict[str, int]:
        """What the "Next page" link adds to `page=`: where this page ended."""
        return {"after": self.items[-1].id} if self.items else {}


def _rows_after(
    query: Select[tuple[Submission]], after: int, limit: int
) -> list[Submission] | None:
    """The next `limit` rows in queue order after submission `after` (None if it is gone).

    The order mixes directions (rank descending, then date and id ascending), so the seek is
    two index ranges: the rest of that row's rank, then (when short) the lower ranks."""
    key = db.session.execute(
        select(Submission.highest_level_rank, Submission.created_at).where(Submission.id == after)
    ).one_or_none()
    if key is None:
        return None
    rank, created_at = key
    same_rank = query.where(
        Submission.highest_level_rank == rank,
        tuple_(Submission.created_at, Submission.id) > tuple_(created_at, after),
    )
    rows = list(db.session.scalars(same_rank.limit(limit)))
    if len(rows) < limit:
        lower = query.where(Submission.highest_level_rank < rank)
        rows += db.session.scalars(lower.limit(limit - len(rows)))
    return rows


def queue_page(
    query: Select[tuple[Submission]], *, page: int, count: bool, after: int | None = None
) -> QueuePagination:
    """Page `page` of the queue, continuing from submission `after` when given."""
    return QueuePagination(
        select=query,
        page=page,
        session=db.session,
        after=after,
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
        count=count,
    )


def counts() -> dict[str, Any]:
    """How many submissions there are by status, by highest level and in all: read from the
    counts table (fifteen rows), never by counting the submissions."""
    by_status: Counter[str] = Counter()
    by_level: Counter[str | None] = Counter()
    for status, rank, count in current_counts():
        by_status[status] += count
        by_level[LEVEL_OF_RANK.get(rank)] += count
    return {"status": by_status, "level": by_level, "total": sum(by_status.values())}


def is_filtered(filters: QueueFilterForm) -> bool:
    """Whether any filter narrows the queue (if not, its length is the total count)."""
    return any(value for name, value in filters.data.items() if name != "csrf_token")
