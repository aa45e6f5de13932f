"""`python -m bench [name ...]`: run the benchmarks (all by default) and print every figure."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import evaluate, mail, patients, pdf, web
from .context import RESULTS, Context, Settings
from .report import Row, print_table, say

Benchmark = Callable[[Context], list[Row]]
# In running order: the in-process and command-line ones first, on a quiet machine.
BENCHMARKS: dict[str, tuple[str, Benchmark]] = {
    "pdf": ("one visit-summary PDF", pdf.run),
    "evaluate": ("evaluate --jsonl", evaluate.run),
    "pages": ("questionnaire pages and whole questionnaires, gunicorn", web.pages),
    "queue": ("clinician queue, gunicorn", web.queue),
    "queue-million": ("clinician queue at 1,000,000 on PostgreSQL, gunicorn", web.queue_million),
    "patients": ("many patients at once, gunicorn", patients.run),
    "mail": ("submit to alert email, worker throughput (Huey workers, loopback SMTP)", mail.run),
}
USAGE = f"usage: python -m bench [{' | '.join(BENCHMARKS)} ...]   (default: all)"


def _header(settings: Settings) -> None:
    cores = os.cpu_count()
    say("screening benchmarks")
    say(
        f"  {cores} CPU cores. The load generator ({settings.processes} processes) runs on this "
        "machine and competes with the 2 gunicorn workers for them: absolute rates are lower "
        "than with a separate client machine; ratios to hello share the handicap."
    )
    say(
        f"  {settings.seconds:g} s per HTTP target after {settings.warmup:g} s of warm-up, "
        f"{settings.connections} connections (BENCH_SECONDS, BENCH_WARMUP, BENCH_CONNECTIONS); "
        f"database: {'PostgreSQL' if os.environ.get('BENCH_DATABASE_URL') else 'SQLite'}; "
        f"server logs in {RESULTS}"
    )


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown or {"-h", "--help"} & set(argv):
        say(USAGE)
        return 0 if not unknown else 2
    settings = Settings.from_environment()
    _header(settings)
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="screening-bench-") as scratch:
        context = Context(settings, Path(scratch))
        for name in names:
            title, benchmark = BENCHMARKS[name]
            say(f"\n== {name}: {title}")
            try:
                found = benchmark(context)
            except Exception as error:  # one broken benchmark must not hide the others
                traceback.print_exc()
                found = [Row(name, "ERROR", "", f"{error.__class__.__name__}: {error}", False)]
            rows.extend(context.hello_rows)
            context.hello_rows.clear()
            rows.extend(found)
    print_table(rows)
    failed = [row.name for row in rows if not row.passed]
    noisy = sum(row.noisy for row in rows)
    say(f"\nTotal time {time.perf_counter() - started:.0f} s.")
    if noisy:
        say(
            f"{noisy} of {len(rows)} figures were measured while other processes kept the "
            "machine busy (NOISY): re-run them on a quiet machine before comparing."
        )
    if failed:
        say("FAILED: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
