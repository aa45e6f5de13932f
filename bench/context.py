"""What every benchmark of one run shares: settings, folders, and the hello reference."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import ROOT
from .load import LoadResult, Scenario, run_load
from .report import Row, load_row, print_row, say
from .scenarios import GetPage
from .server import LIMITS_STORAGE, Server, fresh_database

RESULTS = ROOT / "bench" / "results"  # server logs of the latest run (ignored by git)


def _number(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


@dataclass(frozen=True)
class Settings:
    """Durations and sizes, from the environment (see bench/README.md)."""

    seconds: float
    warmup: float
    connections: int
    processes: int
    patients: int
    patient_seconds: float
    evaluate_documents: int
    queue_sizes: tuple[int, ...]
    million: int
    rounds: int  # turns taken by what is timed against a reference (pages, evaluate, queue)

    @classmethod
    def from_environment(cls) -> Settings:
        sizes = os.environ.get("BENCH_QUEUE_SIZES", "1000,100000")
        return cls(
            seconds=_number("BENCH_SECONDS", 10),
            warmup=_number("BENCH_WARMUP", 2),
            connections=int(_number("BENCH_CONNECTIONS", 8)),
            processes=int(_number("BENCH_LOAD_PROCESSES", 2)),
            patients=int(_number("BENCH_PATIENTS", 50)),
            patient_seconds=_number("BENCH_PATIENT_SECONDS", 60),
            evaluate_documents=int(_number("BENCH_EVALUATE_DOCUMENTS", 10_000)),
            queue_sizes=tuple(int(size) for size in sizes.split(",") if size.strip()),
            million=int(_number("BENCH_QUEUE_MILLION", 1_000_000)),
            rounds=int(_number("BENCH_ROUNDS", 3)),
        )


class Context:
    """Settings, a scratch folder, and the hello reference measured at most once per run."""

    def __init__(self, settings: Settings, scratch: Path) -> None:
        self.settings = settings
        self.scratch = scratch
        self.hello_result: LoadResult | None = None
        self.hello_rows: list[Row] = []
        RESULTS.mkdir(exist_ok=True)

    def log(self, name: str) -> Path:
        return RESULTS / f"{name}.log"

    @contextlib.contextmanager
    def database(self, server_url: str | None = None) -> Iterator[str]:
        with fresh_database(self.scratch, server_url) as url:
            yield url

    def measure(self, server: Server, scenario: Scenario, users: int | None = None) -> LoadResult:
        """Warm up (not recorded), then load the server for the configured time."""
        users = users or self.settings.connections
        if self.settings.warmup > 0:
            run_load(
                scenario,
                server.address,
                users=users,
                processes=self.settings.processes,
                seconds=self.settings.warmup,
            )
        return run_load(
            scenario,
            server.address,
            users=users,
            processes=self.settings.processes,
            seconds=self.settings.seconds,
        )

    def hello(self) -> LoadResult:
        """The reference for this run: measured once here, unless `pages` measured it first
        (in turns with the pages, keeping the median, `keep_hello`)."""
        if self.hello_result is None:
            with self.hello_server() as server:
                self.keep_hello(self.measure(server, GetPage("/")))
                say(memory_line(server))
        assert self.hello_result is not None
        return self.hello_result

    def keep_hello(self, result: LoadResult, extra: str = "") -> None:
        """`result` is this run's hello reference: shown, and a row of the summary."""
        self.hello_result = result
        row = load_row("hello (reference)", result, None, extra)
        print_row(row)
        self.hello_rows.append(row)

    @contextlib.contextmanager
    def hello_server(self) -> Iterator[Server]:
        """The reference: a bare Flask "hello" route, served the same way (bench/hello_app.py)."""
        # gunicorn.conf.py refuses several workers without a shared limits store, even for an
        # app that has no limits.
        env = dict(os.environ, RATELIMIT_STORAGE_URI=LIMITS_STORAGE)
        with Server("bench.hello_app:app", env, self.log("hello")) as server:
            yield server


def memory_line(server: Server) -> str:
    """Peak resident memory of the current workers, and how many gunicorn replaced."""
    peaks = ", ".join(f"{peak:.0f}" for peak in server.peak_rss_mib()) or "?"
    restarts = server.worker_restarts()
    return f"    workers' peak RSS: {peaks} MiB; workers restarted (max_requests): {restarts}"
