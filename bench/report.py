"""Printing: one line per figure as it is measured, and the summary table at the end."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .load import LoadResult

OTHER_LOAD_WORTH_SAYING = 0.1  # cores


@dataclass(frozen=True)
class Row:
    """One line of the summary table."""

    name: str
    figure: str
    versus: str = ""
    detail: str = ""
    passed: bool = True
    noisy: bool = False  # other processes kept the machine busy meanwhile


def say(text: str = "") -> None:
    print(text, flush=True)


def ratio(value: float, reference: float) -> str:
    """value / reference, as "0.31×"; small ratios keep two significant digits."""
    if not reference:
        return "n/a"
    share = value / reference
    return f"{share:.2f}×" if share >= 0.1 else f"{share:.2g}×"


def rate(per_second: float) -> str:
    """A rate with the precision it deserves: 2,419 or 19.7 or 0.9."""
    return f"{per_second:,.0f}" if per_second >= 100 else f"{per_second:.1f}"


def latency(result: LoadResult) -> str:
    return f"p50 {result.percentile(0.50):.1f} ms, p99 {result.percentile(0.99):.1f} ms"


def load_detail(result: LoadResult, extra: str = "") -> str:
    """Latencies, then `extra`, failures, and a warning when the machine was busy otherwise."""
    detail = latency(result) + (f" {extra}" if extra else "")
    if result.failed or result.server_errors:
        detail += f"; {result.failed} failed, {result.server_errors} 5xx"
    return detail + other_load(result)


def load_row(name: str, result: LoadResult, reference: LoadResult | None, extra: str = "") -> Row:
    """A request-rate figure, its ratio to the reference's request rate, and latencies."""
    versus = ratio(result.requests_per_second, reference.requests_per_second) if reference else ""
    return Row(
        name,
        f"{rate(result.requests_per_second)} req/s",
        f"{versus} hello" if versus else "reference",
        load_detail(result, extra),
        passed=not (result.failed or result.server_errors),
        noisy=result.other_cores >= OTHER_LOAD_WORTH_SAYING,
    )


def other_load(result: LoadResult) -> str:
    """A warning when other processes kept the shared machine busy during the measurement."""
    if result.other_cores < OTHER_LOAD_WORTH_SAYING:
        return ""
    return f"; NOISY: other processes kept {result.other_cores:.1f} of {os.cpu_count()} cores busy"


def print_row(row: Row) -> None:
    versus = f" ({row.versus})" if row.versus else ""
    say(f"  {row.name}: {row.figure}{versus}, {row.detail}")


def print_failures(result: LoadResult) -> None:
    for failure, count in result.failures.most_common(5):
        say(f"    ! {count}× {failure}")


def print_table(rows: list[Row]) -> None:
    headings = ("benchmark", "figure", "vs reference", "detail")
    lines = [headings, *((r.name, r.figure, r.versus, r.detail) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    say()
    say("Summary")
    for index, line in enumerate(lines):
        padded = [cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True)]
        say("  " + "  ".join([*padded, line[3]]))
        if index == 0:
            say("  " + "  ".join("-" * width for width in [*widths, len(headings[3])]))
