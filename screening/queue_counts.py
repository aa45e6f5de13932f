"""How many submissions there are by status and highest level, kept in a small table so the
queue never counts the submission table on a request.

Each row is one (status, rank) pair; every flush that adds a submission, changes its status or
rank, or deletes it through the ORM moves the counts in the same transaction, so they are never
ahead of or behind the submissions they count. Bulk deletes (`purge_expired`) call `subtract`.
`recount` rebuilds the table from the submissions (migrations, bulk loads).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Integer, String, delete, event, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, attributes, mapped_column

from .extensions import db
from .models import ReviewStatus, Submission

RANKS = range(5)  # the submission table's rank_in_range check


class QueueCount(db.Model):
    """The number of submissions with one status and one highest-level rank."""

    __tablename__ = "queue_count"

    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    highest_level_rank: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


Key = tuple[str, int]


def every_key() -> list[Key]:
    return [(status.value, rank) for status in ReviewStatus for rank in RANKS]


def _key(submission: Submission, state: str = "current") -> Key:
    status, rank = submission.status, submission.highest_level_rank
    if state == "before":
        status = _before(submission, "status", status)
        rank = _before(submission, "highest_level_rank", rank)
    return (status or ReviewStatus.NEW.value, rank or 0)


def _before(submission: Submission, name: str, current: Any) -> Any:
    history = attributes.get_history(submission, name)
    if history.deleted:
        return history.deleted[0]
    return current


def _move(connection: Connection, deltas: Counter[Key]) -> None:
    # One update per key, in key order, so concurrent transactions lock rows in the same order.
    for (status, rank), delta in sorted(deltas.items()):
        if delta:
            connection.execute(
                update(QueueCount)
                .where(QueueCount.status == status, QueueCount.highest_level_rank == rank)
                .values(count=QueueCount.count + delta)
            )


@event.listens_for(Session, "after_flush")
def _count_changes(session: Session, flush_context: Any) -> None:
    """Move the counts for the submissions this flush added, changed or deleted."""
    deltas: Counter[Key] = Counter()
    for obj in session.new:
        if isinstance(obj, Submission):
            deltas[_key(obj)] += 1
    for obj in session.dirty:
        if isinstance(obj, Submission):
            before, after = _key(obj, "before"), _key(obj)
            if before != after:
                deltas[before] -= 1
                deltas[after] += 1
    for obj in session.deleted:
        if isinstance(obj, Submission):
            deltas[_key(obj, "before")] -= 1
    if deltas:
        _move(session.connection(), deltas)


def subtract(keys: Iterable[Key]) -> None:
    """Take bulk-deleted submissions, given by (status, rank), off the counts."""
    _move(db.session.connection(), Counter({key: -n for key, n in Counter(keys).items()}))


def recount(connection: Connection) -> None:
    """Rebuild the counts from the submission table."""
    actual = dict.fromkeys(every_key(), 0)
    rows = connection.execute(
        select(Submission.status, Submission.highest_level_rank, func.count()).group_by(
            Submission.status, Submission.highest_level_rank
        )
    )
    for status, rank, count in rows:
        actual[(status, rank)] = count
    connection.execute(delete(QueueCount))
    connection.execute(
        insert(QueueCount),
        [{"status": s, "highest_level_rank": r, "count": n} for (s, r), n in actual.items()],
    )


def current_counts() -> list[tuple[str, int, int]]:
    """(status, rank, count) for every pair: fifteen rows, whatever the number stored."""
    return list(
        db.session.execute(
            select(QueueCount.status, QueueCount.highest_level_rank, QueueCount.count)
        ).tuples()
    )


@event.listens_for(QueueCount.__table__, "after_create")
def _start_at_zero(target: Any, connection: Connection, **kw: Any) -> None:
    connection.execute(
        insert(QueueCount),
        [{"status": s, "highest_level_rank": r, "count": 0} for s, r in every_key()],
    )
