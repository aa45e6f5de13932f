"""The load generator: virtual users in separate processes (threads in each), for a fixed time.

A scenario says what one virtual user does: `prepare` once before the clock starts (sign in),
then `iteration` over and over until the time is up (an iteration that has started always
finishes, so a questionnaire is never cut in half). Every request's latency and status is
recorded; an iteration that meets an unexpected response is counted as failed.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .client import Client, Form, RequestFailed, Response
from .cpu import OtherLoad

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

# Spawned, not forked: the load processes must not inherit the parent's database connections.
CONTEXT = multiprocessing.get_context("spawn")
START_TIMEOUT = 300.0  # seconds for every process to prepare its users (sign-ins are slow)


class User:
    """One virtual user: a client (its own cookies) and what its requests took."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.recording = False
        self.latencies_ms: list[float] = []
        self.statuses: Counter[int] = Counter()

    def request(
        self, method: str, path: str, form: Form | None = None, expect: int = 200
    ) -> Response:
        """One request, timed; RequestFailed unless the status is `expect`."""
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, form)
        except RequestFailed:
            if self.recording:
                self.statuses[0] += 1  # 0: no response at all
            raise
        if self.recording:
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
            self.statuses[response.status] += 1
        if response.status != expect:
            raise RequestFailed(f"{method} {path}: {response.status}, expected {expect}")
        return response

    def get(self, path: str, expect: int = 200) -> Response:
        return self.request("GET", path, None, expect)

    def post(self, path: str, form: Form, expect: int = 302) -> Response:
        return self.request("POST", path, form, expect)


class Scenario(Protocol):
    """What one virtual user does; must pickle (it is sent to the load processes)."""

    def prepare(self, user: User) -> None: ...

    def iteration(self, user: User) -> None: ...


@dataclass
class LoadResult:
    """Everything the virtual users of one run recorded."""

    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    completed: int = 0
    failed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    other_cores: float = 0.0  # CPU that processes outside the benchmark took meanwhile

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def iterations_per_second(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def percentile(self, fraction: float) -> float:
        """Latency in milliseconds at this fraction (nearest rank), 0 when nothing ran."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]

    def then(self, later: LoadResult) -> LoadResult:
        """This run and a later one of the same target as one: their requests over their time
        together (a reference measured before and after what it is compared with)."""
        return LoadResult(
            seconds=self.seconds + later.seconds,
            latencies_ms=self.latencies_ms + later.latencies_ms,
            statuses=self.statuses + later.statuses,
            completed=self.completed + later.completed,
            failed=self.failed + later.failed,
            failures=self.failures + later.failures,
            other_cores=max(self.other_cores, later.other_cores),
        )


@dataclass
class _ProcessReport:
    started: float
    finished: float
    result: LoadResult
    error: str | None = None


def _run_user(scenario: Scenario, user: User, deadline: float, result: LoadResult) -> None:
    user.recording = True
    while time.monotonic() < deadline:
        try:
            scenario.iteration(user)
            result.completed += 1
        except RequestFailed as failure:
            result.failed += 1
            result.failures[str(failure)] += 1
        except Exception as error:  # a bug in a scenario: counted, and the user carries on
            result.failed += 1
            result.failures[f"{error.__class__.__name__}: {error}"] += 1


def _process_main(
    scenario: Scenario,
    address: tuple[str, int],
    threads: int,
    seconds: float,
    barrier: Barrier,
    reports: multiprocessing.Queue,
) -> None:
    """One load process: prepare its users, wait for the others, run, report."""
    users = [User(Client(*address)) for _ in range(threads)]
    try:
        for user in users:
            scenario.prepare(user)
        barrier.wait(START_TIMEOUT)
    except Exception as error:  # reported to the parent, which stops the run
        barrier.abort()
        reports.put(_ProcessReport(0.0, 0.0, LoadResult(), f"not started: {error!r}"))
        return
    started = time.monotonic()
    deadline = started + seconds
    partials = [LoadResult() for _ in users]
    workers = [
        threading.Thread(target=_run_user, args=(scenario, user, deadline, partial))
        for user, partial in zip(users, partials, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    finished = time.monotonic()
    merged = LoadResult()
    for user, partial in zip(users, partials, strict=True):
        merged.latencies_ms.extend(user.latencies_ms)
        merged.statuses.update(user.statuses)
        merged.completed += partial.completed
        merged.failed += partial.failed
        merged.failures.update(partial.failures)
    reports.put(_ProcessReport(started, finished, merged))


def _collect(
    reports: multiprocessing.Queue, children: list, timeout: float
) -> list[_ProcessReport]:
    """One report per process; a process that died without one stops the run."""
    collected: list[_ProcessReport] = []
    give_up = time.monotonic() + timeout
    while len(collected) < len(children):
        try:
            collected.append(reports.get(timeout=1.0))
        except queue.Empty:
            dead = [c for c in children if c.exitcode not in (None, 0)]
            if dead or time.monotonic() > give_up:
                raise RuntimeError("a load process died or hung; see its output above") from None
    for child in children:
        child.join(timeout=30)
    return collected


def run_load(
    scenario: Scenario,
    address: tuple[str, int],
    *,
    users: int,
    processes: int,
    seconds: float,
) -> LoadResult:
    """Run `users` virtual users, spread over `processes` processes, for `seconds`."""
    processes = max(1, min(processes, users))
    shares = [users // processes + (1 if i < users % processes else 0) for i in range(processes)]
    barrier = CONTEXT.Barrier(processes)
    reports: multiprocessing.Queue = CONTEXT.Queue()
    children = [
        CONTEXT.Process(
            target=_process_main,
            args=(scenario, address, share, seconds, barrier, reports),
            daemon=True,
        )
        for share in shares
    ]
    for child in children:
        child.start()
    other_load = OtherLoad()
    other_load.start()
    collected = _collect(reports, children, timeout=START_TIMEOUT + seconds + 120)
    errors = [report.error for report in collected if report.error]
    if errors:
        raise RuntimeError("; ".join(errors))
    total = LoadResult()
    for report in collected:
        total.latencies_ms.extend(report.result.latencies_ms)
        total.statuses.update(report.result.statuses)
        total.completed += report.result.completed
        total.failed += report.result.failed
        total.failures.update(report.result.failures)
    total.seconds = max(r.finished for r in collected) - min(r.started for r in collected)
    total.other_cores = other_load.cores()
    return total
