"""How much CPU other processes took while a benchmark ran: the machine is shared, so a
figure measured while someone's test suite ran says so next to it."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
KERNEL_THREADS = 2  # kthreadd, the parent of every kernel thread
WORKING_FOR_US = {"postgres"}  # with BENCH_DATABASE_URL; others' queries are missed too


def _processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far) for every process this user can see."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            head, tail = stat.read_text().rsplit(")", 1)
            name, fields = head.split("(", 1)[1], tail.split()
            pid, parent = int(stat.parent.name), int(fields[1])
            # Kernel threads work for our sockets, the database server for our queries.
            if KERNEL_THREADS not in (pid, parent) and name not in WORKING_FOR_US:
                found[pid] = (parent, (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def _descendants(processes: dict[int, tuple[int, float]], root: int) -> set[int]:
    family, added = {root}, True
    while added:
        children = {pid for pid, (parent, _) in processes.items() if parent in family}
        added = bool(children - family)
        family |= children
    return family


class OtherLoad:
    """CPU used by processes outside this benchmark's own process tree, between start and stop.

    Processes that start and end in between are not seen, nor is PostgreSQL (busy with our
    queries), so this is a lower bound.
    """

    def __init__(self) -> None:
        self.before: dict[int, tuple[int, float]] = {}
        self.started = 0.0

    def start(self) -> None:
        self.before = _processes()
        self.started = time.monotonic()

    def cores(self) -> float:
        """Average number of cores the other processes kept busy since start()."""
        now = _processes()
        ours = _descendants(now, os.getpid()) | _descendants(self.before, os.getpid())
        used = sum(
            cpu - self.before.get(pid, (0, 0.0))[1]
            for pid, (_, cpu) in now.items()
            if pid not in ours
        )
        elapsed = time.monotonic() - self.started
        return max(used, 0.0) / elapsed if elapsed else 0.0
