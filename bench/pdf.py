"""One visit-summary PDF, in this process: the first (WeasyPrint loading) and the median after.

Reference, in the same run: rendering the print HTML alone (the page the PDF is made from).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from screening import create_app, rules, services
from screening.clinician.exports import visit_summary_html, visit_summary_pdf
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
    """Milliseconds per visit-summary PDF of the demo submission with the most flags."""
    now = datetime.now(UTC)
    with context.database() as url:
        app = create_app(app_config(url))
        with app.app_context():
            db.create_all()
            thresholds = rules.Thresholds.from_config(app.config)
            documents = demo_documents(now.date())
            doc = max(documents, key=lambda d: len(rules.evaluate(d, now.date(), thresholds).flags))
            item = services.store_submission(doc, now.date(), thresholds, submit_key="bench-pdf")
            db.session.commit()
            with app.test_request_context():
                rss_before = _rss_mib()
                pdfs: list[bytes] = []
                first = _milliseconds(lambda: pdfs.append(visit_summary_pdf(item)))
                pdf_times = [_milliseconds(lambda: visit_summary_pdf(item)) for _ in range(REPEATS)]
                html_times = [
                    _milliseconds(lambda: visit_summary_html(item, for_pdf=True))
                    for _ in range(REPEATS)
                ]
                rss_after = _rss_mib()
                flag_count = len(item.flags)
            db.engine.dispose()
    return _report(flag_count, len(pdfs[0]), first, pdf_times, html_times, rss_before, rss_after)


def _report(
    flag_count: int,
    size: int,
    first: float,
    pdf_times: list[float],
    html_times: list[float],
    rss_before: float,
    rss_after: float,
) -> list[Row]:
    pdf, html = statistics.median(pdf_times), statistics.median(html_times)
    say(f"  submission with {flag_count} flags; PDF of {size / 1024:.0f} KiB")
    say(f"  first PDF in this process (loads WeasyPrint, fonts): {first:.0f} ms")
    say(
        f"  visit-summary PDF: median {pdf:.0f} ms of {REPEATS} "
        f"(min {min(pdf_times):.0f}, max {max(pdf_times):.0f})"
    )
    say(f"  reference, the print HTML alone: median {html:.1f} ms; the PDF takes {pdf / html:.0f}×")
    say(f"  process RSS {rss_before:.0f} MiB before the first PDF, {rss_after:.0f} MiB after")
    return [
        Row(
            "visit-summary PDF",
            f"{pdf:.0f} ms",
            f"{pdf / html:.0f}× print HTML ({html:.1f} ms)",
            f"first {first:.0f} ms; RSS +{rss_after - rss_before:.0f} MiB",
        )
    ]
