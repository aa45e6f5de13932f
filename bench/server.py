"""Servers for the benchmarks: a fresh database, the app's environment, gunicorn with 2 workers."""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from . import BIN, ROOT
from .client import Client, RequestFailed

WORKERS = 2
# Bench-only secrets, the same in every worker and in the seeding process; never deployed.
SECRET_KEY = "bench-only-secret-key-never-deployed"
ENCRYPTION_KEYS = "9puuDj0mYRj7jeAe_0dVBdFgopeZeGu9S5OwvVbqWjI="
# Production settings (no debug, no template reloading), but every client comes from
# 127.0.0.1, so the per-address limits would stop the load after a few submissions.
UNLIMITED = "100000 per minute"
# Production needs a mail server; no worker runs in these benchmarks, so emails stay queued
# and the wake-ups go to an in-memory queue (bench/mail.py measures delivery itself).
# Several gunicorn workers must share their limits (production refuses memory://).
LIMITS_STORAGE = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
MAIL = {
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_DEFAULT_SENDER": "bench@localhost",
    "TASK_QUEUE_URL": "memory://",
}


@contextlib.contextmanager
def fresh_database(folder: Path, server_url: str | None = None) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database: SQLite in `folder`, or a new PostgreSQL schema
    when `server_url` or BENCH_DATABASE_URL names a server."""
    base = server_url or os.environ.get("BENCH_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    from sqlalchemy import create_engine, text

    from config import database_url

    base = database_url(base) or base
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def app_environment(database_url: str) -> dict[str, str]:
    """The environment the app's servers and commands run with."""
    env = dict(os.environ)
    env.update(
        SCREENING_ENV=os.environ.get("BENCH_SCREENING_ENV", "production"),
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        ENCRYPTION_KEYS=ENCRYPTION_KEYS,
        SUBMIT_RATE_LIMIT=UNLIMITED,
        SIGN_IN_RATE_LIMIT=UNLIMITED,
        DRAFT_RATE_LIMIT=UNLIMITED,
        RATELIMIT_STORAGE_URI=LIMITS_STORAGE,
        **MAIL,
    )
    return env


def app_config(database_url: str) -> dict[str, object]:
    """The same settings for an app built in this process (seeding, the PDF)."""
    return {
        "ENV_NAME": os.environ.get("BENCH_SCREENING_ENV", "production"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ENCRYPTION_KEYS": ENCRYPTION_KEYS,
        "RATELIMIT_STORAGE_URI": LIMITS_STORAGE,
        **MAIL,
    }


def upgrade_database(database_url: str) -> None:
    """Run the migrations on a fresh database, as a deployment would."""
    subprocess.run(
        [str(BIN / "flask"), "--app", "screening", "db", "upgrade"],
        cwd=ROOT,
        env=app_environment(database_url),
        check=True,
        capture_output=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn -c gunicorn.conf.py --workers 2 --bind 127.0.0.1:<port> <app>`, as a context."""

    def __init__(self, app: str, env: dict[str, str], log_path: Path, ready_path: str = "/"):
        self.app = app
        self.env = env
        self.log_path = log_path
        self.ready_path = ready_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def command(self) -> list[str]:
        extra = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", ""))
        return [
            str(BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            *extra,
            self.app,
        ]

    def __enter__(self) -> Server:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_ready()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        self.process.terminate()  # gunicorn stops its workers on SIGTERM
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        give_up = time.monotonic() + timeout
        client = Client(*self.address, timeout=10)
        while time.monotonic() < give_up:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            booted = self.log().count("Booting worker")
            try:
                if booted >= WORKERS and client.request("GET", self.ready_path).status < 500:
                    return
            except RequestFailed:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The current workers: processes whose parent is the gunicorn master."""
        if self.process is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def peak_rss_mib(self) -> list[float]:
        """VmHWM (peak resident memory) of each current worker, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def worker_restarts(self) -> int:
        """Workers gunicorn replaced after max_requests, so far."""
        return self.log().count("Autorestarting worker")
