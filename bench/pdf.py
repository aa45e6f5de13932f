"""One visit-summary PDF, in this process: the first (WeasyPrint loading) and the median after.

Reference, in the same run: rendering the print HTML alone (the page the PDF is made from).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from screening import create_app, rules, services
from screening.clinician.exports import html_to_pdf, visit_summary_html, visit_summary_pdf
from screening.demo import demo_documents
from screening.extensions import db

from .context import Context
from .report import Row, say
from .server import app_config

REPEATS = 10


def _milliseconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(context: Context) -> list[Row]:
    """Milliseconds per visit-summary PDF of the demo submissions with the most flags and the
    largest (the longest answer document), each against its own print HTML."""
    now = datetime.now(UTC)
    rows: list[Row] = []
    with context.database() as url:
        app = create_app(app_config(url))
        with app.app_context():
            db.create_all()
            thresholds = rules.Thresholds.from_config(app.config)
            documents = demo_documents(now.date())
            chosen = {
                "most flags": max(
                    documents, key=lambda d: len(rules.evaluate(d, now.date(), thresholds).flags)
                ),
                "largest": max(documents, key=lambda d: len(json.dumps(d))),
            }
            for which, doc in chosen.items():
                item = services.store_submission(
                    doc, now.date(), thresholds, submit_key=f"bench-pdf-{which}"
                )
                db.session.commit()
                with app.test_request_context():
                    rss_before = _rss_mib()
                    pdfs: list[bytes] = []
                    first = _milliseconds(lambda: pdfs.append(visit_summary_pdf(item)))  # noqa: B023
                    # Rendered every time (what a changed submission costs), then from the
                    # stored PDF (what a second download of an unchanged one costs).
                    html = visit_summary_html(item, for_pdf=True)
                    pdf_times = [
                        _milliseconds(lambda: html_to_pdf(html))  # noqa: B023
                        for _ in range(REPEATS)
                    ]
                    db.session.commit()
                    cached_times = [
                        _milliseconds(lambda: visit_summary_pdf(item))  # noqa: B023
                        for _ in range(REPEATS)
                    ]
                    html_times = [
                        _milliseconds(lambda: visit_summary_html(item, for_pdf=True))  # noqa: B023
                        for _ in range(REPEATS)
                    ]
                    rss_after = _rss_mib()
                say(
                    f"  {which}: {len(item.flags)} flags, {len(json.dumps(doc)):,} bytes of answers"
                )
                rows += _report(
                    which, len(pdfs[0]), first, pdf_times, html_times, rss_before, rss_after
                )
                cached = statistics.median(cached_times)
                html_ms = statistics.median(html_times)
                say(
                    f"  from the stored PDF: median {cached:.1f} ms, "
                    f"{cached / html_ms:.1f}× the HTML"
                )
                rows.append(
                    Row(
                        f"visit-summary PDF, {which}, stored",
                        f"{cached:.1f} ms",
                        f"{cached / html_ms:.1f}× print HTML, target ≤ 300×",
                        "second download of an unchanged submission (encrypted, keyed by printout)",
                    )
                )
            db.engine.dispose()
    return rows


def _report(
    which: str,
    size: int,
    first: float,
    pdf_times: list[float],
    html_times: list[float],
    rss_before: float,
    rss_after: float,
) -> list[Row]:
    pdf, html = statistics.median(pdf_times), statistics.median(html_times)
    say(f"  PDF of {size / 1024:.0f} KiB")
    say(f"  first PDF in this process: {first:.0f} ms")
    say(
        f"  visit-summary PDF: median {pdf:.0f} ms of {REPEATS} "
        f"(min {min(pdf_times):.0f}, max {max(pdf_times):.0f})"
    )
    say(
        f"  reference, the print HTML alone: median {html:.1f} ms; the PDF takes {pdf / html:.0f}×"
        " (target ≤ 300×)"
    )
    say(f"  process RSS {rss_before:.0f} MiB before the first PDF, {rss_after:.0f} MiB after")
    return [
        Row(
            f"visit-summary PDF, {which}",
            f"{pdf:.0f} ms",
            f"{pdf / html:.0f}× print HTML ({html:.1f} ms), target ≤ 300×",
            f"first {first:.0f} ms; RSS +{rss_after - rss_before:.0f} MiB",
        )
    ]
