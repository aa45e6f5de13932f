"""The review queue as queries: most urgent first, then oldest first; filters; counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import defer

from ..models import Submission, SubmissionFlag
from ..queue_counts import current_counts
from ..rules import LEVEL_RANK
from .forms import NO_FLAGS, QueueFilterForm

PER_PAGE = 25


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


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


def counts() -> dict[str, Any]:
    """How many submissions there are by status, by highest level and in all: read from the
    counts table (fifteen rows), never by counting the submissions."""
    level_of_rank = {rank: level for level, rank in LEVEL_RANK.items()}
    by_status: Counter[str] = Counter()
    by_level: Counter[str | None] = Counter()
    for status, rank, count in current_counts():
        by_status[status] += count
        by_level[level_of_rank.get(rank)] += count
    return {"status": by_status, "level": by_level, "total": sum(by_status.values())}


def is_filtered(filters: QueueFilterForm) -> bool:
    """Whether any filter narrows the queue (if not, its length is the total count)."""
    return any(value for name, value in filters.data.items() if name != "csrf_token")
