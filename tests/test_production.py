"""Production refuses settings that would weaken it (issue 9, finding 3 and hardening)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from screening import create_app

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def production(**settings):
    return create_app(
        {
            "ENV_NAME": "production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "k" * 32,
            "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
            "MAIL_SERVER": "127.0.0.1",
            **settings,
        }
    )


def test_production_refuses_a_short_secret_key():
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        production(SECRET_KEY="k" * 31)
    assert production(SECRET_KEY="k" * 32).config["SECRET_KEY"] == "k" * 32


@pytest.mark.parametrize("workers", [None, 2, 9])
def test_production_refuses_memory_limits_with_several_workers(workers):
    with pytest.raises(RuntimeError, match="each worker would count sign-in attempts"):
        production(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=workers)


def test_production_accepts_memory_limits_with_one_worker_or_shared_storage():
    assert production(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=1)
    assert production(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", WEB_CONCURRENCY=9)


def run_gunicorn(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SCREENING_ENV", "WEB_CONCURRENCY", "RATELIMIT_STORAGE_URI", "SECRET_KEY"}
    }
    environment.update(
        {"BIND": "127.0.0.1:0", "DATABASE_URL": "sqlite://", "MAIL_SERVER": "127.0.0.1", **env}
    )
    return subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", *args, "run:app"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_gunicorn_runs_production_and_refuses_per_worker_limits():
    keys = {"SECRET_KEY": "k" * 40, "ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    # No SCREENING_ENV: gunicorn means production, which wants its secret key.
    without_secret = run_gunicorn(ENCRYPTION_KEYS=keys["ENCRYPTION_KEYS"], WEB_CONCURRENCY="1")
    assert without_secret.returncode != 0
    assert "SECRET_KEY must be set in production" in without_secret.stderr
    # Two workers counting sign-in attempts in memory, each on its own: refused.
    several = run_gunicorn("--workers", "2", WEB_CONCURRENCY="1", **keys)
    assert several.returncode != 0
    assert "each worker would count sign-in attempts on its own" in several.stderr
