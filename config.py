"""Configuration classes. Everything comes from the environment; development defaults only
in DevelopmentConfig. Clinic thresholds (FLAGS.md) are here so a clinic can change them."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import ClassVar


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_optional_int(name: str) -> int | None:
    raw = os.environ.get(name)
    return int(raw) if raw else None


def _env_pair(name: str) -> tuple[int, int] | None:
    raw = os.environ.get(name)
    if not raw:
        return None
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
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SIGN_IN_MAX_FAILURES = _env_int("SIGN_IN_MAX_FAILURES", 5)
    SIGN_IN_LOCK_MINUTES = _env_int("SIGN_IN_LOCK_MINUTES", 15)
    # Data lifecycle: drafts go after DRAFT_TTL_DAYS; reviewed submissions after RETENTION_DAYS.
    DRAFT_TTL_DAYS = _env_int("DRAFT_TTL_DAYS", 14)
    RETENTION_DAYS = int(os.environ["RETENTION_DAYS"]) if os.environ.get("RETENTION_DAYS") else None

    # Clinic thresholds (FLAGS.md, "Definitions used below"): None (not set) keeps the default,
    # which lives in one place, screening/rules/thresholds.py.
    ADEQUATE_SRI_WEEKS = _env_optional_int("ADEQUATE_SRI_WEEKS")
    ADEQUATE_ANTIDEPRESSANT_WEEKS = _env_optional_int("ADEQUATE_ANTIDEPRESSANT_WEEKS")
    ADEQUATE_ERP_SESSIONS = _env_optional_int("ADEQUATE_ERP_SESSIONS")
    PCL5_CUTOFF = _env_optional_int("PCL5_CUTOFF")
    BP_REVIEW = _env_pair("BP_REVIEW")
    BP_HIGH = _env_pair("BP_HIGH")
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
