"""Configuration classes. Everything comes from the environment; development defaults only
in DevelopmentConfig. Clinic thresholds (FLAGS.md) are here so a clinic can change them."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import ClassVar


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_pair(name: str, default: tuple[int, int]) -> tuple[int, int]:
    raw = os.environ.get(name)
    if not raw:
        return default
    first, second = raw.split("/")
    return int(first), int(second)


def database_url(raw: str | None) -> str | None:
    """A SQLAlchemy URL that uses psycopg 3 for PostgreSQL, whichever way it was written."""
    if not raw:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw.removeprefix(prefix)
    return raw


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Comma-separated Fernet keys, newest first (see screening/crypto.py).
    ENCRYPTION_KEYS = os.environ.get("ENCRYPTION_KEYS")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))  # default: SQLite
    # Parameters never appear in database error messages (they may be health information).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {
        "pool_pre_ping": True,
        "hide_parameters": True,
    }
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; a slow page is fine
    # Pages send no Referer (Referrer-Policy: no-referrer), so the HTTPS Referer check would
    # refuse every form; the token and SameSite cookies protect the forms instead.
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "screening_session"
    # The draft survives a closed tab and browser restarts for this long.
    PERMANENT_SESSION_LIFETIME = timedelta(days=_env_int("DRAFT_TTL_DAYS", 14))
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 256 * 1024)
    # The browser that submitted can reopen its summary for this many hours.
    SUMMARY_ACCESS_HOURS = _env_int("SUMMARY_ACCESS_HOURS", 24)
    CLINIC_NAME = os.environ.get("CLINIC_NAME", "the clinic")
    # Where links in emails point (never taken from a request's Host header).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # The FHIR Questionnaire's canonical URL (empty: a fixed URN); never from a request.
    FHIR_CANONICAL_URL = os.environ.get("FHIR_CANONICAL_URL", "")
    # How many reverse proxies in front set X-Forwarded-For/-Proto (0: none, trust nothing).
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # Clinician accounts.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
    # Per client address; a clinic's waiting room may share one address, hence not lower.
    SUBMIT_RATE_LIMIT = os.environ.get("SUBMIT_RATE_LIMIT", "10 per minute")
    # A resend of the submit form (a double click) is shown the summary for this long.
    SUBMIT_RESEND_SECONDS = _env_int("SUBMIT_RESEND_SECONDS", 60)
    # New drafts per client address: stops a flood, lets a waiting room of 20 share one address.
    DRAFT_RATE_LIMIT = os.environ.get("DRAFT_RATE_LIMIT", "40 per minute; 400 per hour")
    # Links to continue later and to reopen the summary (README, "Links in emails").
    SUMMARY_LINK_DAYS = _env_int("SUMMARY_LINK_DAYS", 30)
    RESUME_REMINDER_DAYS = _env_int("RESUME_REMINDER_DAYS", 3)
    LINK_MAX_FAILURES = _env_int("LINK_MAX_FAILURES", 5)
    LINK_RATE_LIMIT = os.environ.get("LINK_RATE_LIMIT", "30 per 10 minutes")
    SAVE_LINK_RATE_LIMIT = os.environ.get("SAVE_LINK_RATE_LIMIT", "30 per hour; 200 per day")
    SAVE_LINK_DRAFT_RATE_LIMIT = os.environ.get("SAVE_LINK_DRAFT_RATE_LIMIT", "3 per 10 minutes")
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SIGN_IN_MAX_FAILURES = _env_int("SIGN_IN_MAX_FAILURES", 5)
    SIGN_IN_LOCK_MINUTES = _env_int("SIGN_IN_LOCK_MINUTES", 15)
    # Data lifecycle: drafts go after DRAFT_TTL_DAYS; reviewed submissions after RETENTION_DAYS.
    DRAFT_TTL_DAYS = _env_int("DRAFT_TTL_DAYS", 14)
    RETENTION_DAYS = int(os.environ["RETENTION_DAYS"]) if os.environ.get("RETENTION_DAYS") else None

    # Clinic thresholds (FLAGS.md, "Definitions used below").
    ADEQUATE_SRI_WEEKS = _env_int("ADEQUATE_SRI_WEEKS", 8)
    ADEQUATE_ANTIDEPRESSANT_WEEKS = _env_int("ADEQUATE_ANTIDEPRESSANT_WEEKS", 6)
    ADEQUATE_ERP_SESSIONS = _env_int("ADEQUATE_ERP_SESSIONS", 12)
    PCL5_CUTOFF = _env_int("PCL5_CUTOFF", 33)
    BP_REVIEW = _env_pair("BP_REVIEW", (140, 90))
    BP_HIGH = _env_pair("BP_HIGH", (180, 110))
    SERVED_REGIONS = _env_list("SERVED_REGIONS")
    # JSON object of medication key -> OCD target mg/day, overriding the catalogue defaults.
    OCD_TARGET_DOSES: ClassVar[dict[str, float]] = json.loads(
        os.environ.get("OCD_TARGET_DOSES", "{}")
    )


class DevelopmentConfig(Config):
    """Local development: SQLite in the instance folder, a secret kept in the instance folder."""

    DEBUG = True


class TestConfig(Config):
    """Tests: a database per test, chosen by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # tests only
    ENCRYPTION_KEYS = "fUYSQq1oe4lFrhmpWwcY3o0YH8l1kb84cUbuAM6rBeE="  # tests only, never deployed
    WTF_CSRF_ENABLED = True


class ProductionConfig(Config):
    """Production: secure cookies; refuses to start without a secret key."""

    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
