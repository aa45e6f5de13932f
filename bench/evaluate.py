"""`flask --app screening evaluate --jsonl` on many documents, as a subprocess.

Reference, in the same run: a Python subprocess that reads the same file and does
`json.dumps(json.loads(line))` for every line, i.e. the reading, parsing and writing that
evaluate cannot avoid, without validation or rules.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from screening.demo import demo_documents

from . import BIN, ROOT
from .context import Context
from .report import Row, ratio, say
from .server import app_environment

REFERENCE = (
    "import json, sys\n"
    "out = sys.stdout\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    out.write(json.dumps(json.loads(line), ensure_ascii=False) + '\\n')\n"
)


def _spread(seconds: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in seconds) + " s"


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done


def _check(done: subprocess.CompletedProcess, count: int) -> None:
    """evaluate succeeded with one valid result per document."""
    results = done.stdout.splitlines()
    invalid = sum('"errors"' in line for line in results)
    if done.returncode != 0 or len(results) != count or invalid:
        raise RuntimeError(
            f"evaluate exited {done.returncode} with {len(results)} results, {invalid} invalid: "
            f"{done.stderr[-500:]}"
        )


def _write_documents(path: Path, count: int, as_of: str) -> None:
    documents = demo_documents(datetime.fromisoformat(as_of).date())
    with path.open("w", encoding="utf-8") as file:
        for index in range(count):
            file.write(json.dumps(documents[index % len(documents)], ensure_ascii=False) + "\n")


def run(context: Context) -> list[Row]:
    """Documents per second through evaluate, start-up included and excluded."""
    count = context.settings.evaluate_documents
    as_of = datetime.now(UTC).date().isoformat()
    many, empty = context.scratch / "many.jsonl", context.scratch / "empty.jsonl"
    _write_documents(many, count, as_of)
    empty.write_text("")
    # evaluate needs no database; the URL only keeps the app away from instance/.
    env = app_environment(f"sqlite:///{context.scratch / 'evaluate.db'}")
    evaluate = [str(BIN / "flask"), "--app", "screening", "evaluate", "--jsonl"]
    # As installed (pip compiles what it installs): the app's own modules as bytecode too, even
    # where PYTHONDONTWRITEBYTECODE keeps Python from writing it on first import.
    compiled = [str(BIN / "python"), "-m", "compileall", "-q", "screening", "config.py"]
    subprocess.run(compiled, cwd=ROOT, env=env, check=True, capture_output=True)

    # Each command BENCH_ROUNDS times, taking turns, and the median of each: one run of a
    # two-second command moved the ratio by half between runs on this shared machine.
    startups, evaluations, references = [], [], []
    for _ in range(context.settings.rounds):
        startups.append(_timed([*evaluate, str(empty), "--as-of", as_of], env)[0])
        seconds, done = _timed([*evaluate, str(many), "--as-of", as_of], env)
        _check(done, count)
        evaluations.append(seconds)
        reference, check = _timed([str(BIN / "python"), "-c", REFERENCE, str(many)], env)
        check.check_returncode()
        references.append(reference)
    startup = statistics.median(startups)
    seconds = statistics.median(evaluations)
    reference = statistics.median(references)

    rate, reference_rate = count / seconds, count / reference
    after_startup = count / (seconds - startup) if seconds > startup else 0.0
    size_mib = many.stat().st_size / 2**20
    say(f"  {count:,} documents ({size_mib:.1f} MiB of JSON Lines), as of {as_of}")
    say(
        f"  evaluate --jsonl: {seconds:.2f} s = {rate:,.0f} documents/s"
        f" (median of {_spread(evaluations)})"
    )
    say(
        f"    start-up alone (empty file): {startup:.2f} s (median of {_spread(startups)});"
        f" without it {after_startup:,.0f} docs/s"
    )
    say(
        f"  reference (python: json.loads + json.dumps per line, same file): {reference:.2f} s"
        f" (median of {_spread(references)})"
        f" = {reference_rate:,.0f} documents/s; evaluate is {ratio(rate, reference_rate)} of it"
    )
    return [
        Row(
            f"evaluate --jsonl, {count:,} documents",
            f"{rate:,.0f} docs/s",
            f"{ratio(rate, reference_rate)} json round trip, target ≥ 0.30×",
            f"{seconds:.2f} s in all, {startup:.2f} s of it start-up; "
            f"{after_startup:,.0f} docs/s after start-up",
        )
    ]
