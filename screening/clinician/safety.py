"""The safety dashboard (admins): open alerts, and how fast the clinic acknowledges and reaches
people, per level, over the last 4, 12 and 52 weeks. A table and a server-rendered SVG chart."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    ALERT_LEVELS,
    Alert,
    AlertState,
    CallbackRequest,
    ContactAttempt,
    ContactOutcome,
    Submission,
    utcnow,
)
from ..rules.levels import Level
from . import bp
from .access import admin_required, audit_here

WINDOWS_WEEKS = (4, 12, 52)
LEVELS = ALERT_LEVELS
METRICS = (
    ("acknowledged", "Submission to acknowledgement"),
    ("reached", "Submission to first reached contact"),
)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or
    below it (the median of 1, 2, 3, 4 is 2)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


@dataclass(frozen=True)
class Row:
    level: str
    weeks: int
    metric: str
    count: int  # how many were acknowledged / reached
    waiting: int  # how many in the window are not yet
    median: float | None  # minutes
    p90: float | None


def _first_reached() -> tuple[dict[int, datetime], dict[int, datetime]]:
    """The first reached contact per submission and per call-back request."""
    rows = db.session.execute(
        select(
            ContactAttempt.submission_id,
            ContactAttempt.callback_request_id,
            func.min(ContactAttempt.at),
        )
        .where(ContactAttempt.outcome == ContactOutcome.REACHED.value)
        .group_by(ContactAttempt.submission_id, ContactAttempt.callback_request_id)
    )
    by_submission: dict[int, datetime] = {}
    by_callback: dict[int, datetime] = {}
    for submission_id, callback_id, at in rows:
        if submission_id is not None:
            by_submission[submission_id] = at
        elif callback_id is not None:
            by_callback[callback_id] = at
    return by_submission, by_callback


def _minutes(later: datetime, earlier: datetime) -> float:
    return max((later - earlier).total_seconds() / 60, 0.0)


def safety_rows(now: datetime) -> list[Row]:
    """Median and 90th percentile minutes, per level, window and measure."""
    since = now - timedelta(weeks=max(WINDOWS_WEEKS))
    alerts = db.session.execute(
        select(
            Alert.level, Alert.acknowledged_at, Submission.created_at, CallbackRequest.created_at
        )
        .outerjoin(Submission, Alert.submission_id == Submission.id)
        .outerjoin(CallbackRequest, Alert.callback_request_id == CallbackRequest.id)
        .where(Alert.created_at >= since)
    ).all()
    reached_submission, reached_callback = _first_reached()
    people = [
        (level, created, reached_submission.get(sid))
        for sid, level, created in db.session.execute(
            select(Submission.id, Submission.highest_level, Submission.created_at).where(
                Submission.highest_level.in_(LEVELS), Submission.created_at >= since
            )
        )
    ] + [
        (Level.URGENT, created, reached_callback.get(cid))
        for cid, created in db.session.execute(
            select(CallbackRequest.id, CallbackRequest.created_at).where(
                CallbackRequest.created_at >= since
            )
        )
    ]
    acknowledged = [(level, submitted or asked, at) for level, at, submitted, asked in alerts]
    rows = []
    for level in LEVELS:
        for weeks in WINDOWS_WEEKS:
            start = now - timedelta(weeks=weeks)
            for metric, events in (("acknowledged", acknowledged), ("reached", people)):
                minutes = [
                    _minutes(done, began)
                    for lvl, began, done in events
                    if lvl == level and began >= start and done is not None
                ]
                waiting = sum(
                    1
                    for lvl, began, done in events
                    if lvl == level and began >= start and done is None
                )
                rows.append(
                    Row(
                        level,
                        weeks,
                        metric,
                        len(minutes),
                        waiting,
                        percentile(minutes, 0.5),
                        percentile(minutes, 0.9),
                    )
                )
    return rows


def human_minutes(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 120:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} d"


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    median_width: float
    p90_width: float
    text: str


def chart(rows: list[Row], width: int = 640) -> dict[str, object]:
    """Bars for the SVG: one per level and window per measure, median over 90th percentile."""
    longest = max((row.p90 or 0 for row in rows), default=0) or 1
    scale = (width - 260) / longest
    groups = []
    y = 0
    for metric, title in METRICS:
        bars = []
        y += 28
        heading_y = y
        for row in rows:
            if row.metric != metric:
                continue
            y += 26
            bars.append(
                Bar(
                    label=f"{row.level.capitalize()}, {row.weeks} weeks",
                    y=y,
                    median_width=(row.median or 0) * scale,
                    p90_width=(row.p90 or 0) * scale,
                    text=(
                        f"median {human_minutes(row.median)}, 90% {human_minutes(row.p90)}"
                        if row.count
                        else "none yet"
                    ),
                )
            )
        groups.append({"title": title, "y": heading_y, "bars": bars})
        y += 10
    return {"width": width, "height": y + 20, "groups": groups}


@bp.get("/safety")
@admin_required
def safety_dashboard() -> str:
    now = utcnow()
    rows = safety_rows(now)
    open_alerts = list(
        db.session.scalars(
            select(Alert).where(Alert.state == AlertState.OPEN.value).order_by(Alert.created_at)
        )
    )
    audit_here("safety_dashboard_viewed")
    db.session.commit()
    return render_template(
        "clinician/safety.html",
        rows=rows,
        chart=chart(rows),
        open_alerts=open_alerts,
        now=now,
        human_minutes=human_minutes,
        metrics=dict(METRICS),
    )
