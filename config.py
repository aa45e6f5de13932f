"""Configuration classes. Everything comes from the environment; development defaults only
in DevelopmentConfig. Clinic thresholds (FLAGS.md) are here so a clinic can change them."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import ClassVar


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


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
    # Patients' cookie (path /); staff have their own, scoped to /clinician (screening/cookies.py).
    SESSION_COOKIE_NAME = "screening_session"
    STAFF_SESSION_COOKIE_NAME = "screening_staff"
    # The draft survives a closed tab and browser restarts for this long.
    PERMANENT_SESSION_LIFETIME = timedelta(days=_env_int("DRAFT_TTL_DAYS", 14))
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 256 * 1024)
    # The browser that submitted can reopen its summary for this many hours.
    SUMMARY_ACCESS_HOURS = _env_int("SUMMARY_ACCESS_HOURS", 24)
    CLINIC_NAME = os.environ.get("CLINIC_NAME", "the clinic")
    # Where links in emails point (never taken from a request's Host header).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # The clinic's contact details, on every patient page, the summary and in emails.
    CLINIC_PHONE = os.environ.get("CLINIC_PHONE", "")
    CLINIC_EMAIL = os.environ.get("CLINIC_EMAIL", "")
    CLINIC_HOURS = os.environ.get("CLINIC_HOURS", "Monday to Friday, 9 am to 5 pm")
    # The clinic's time zone (an IANA name, e.g. America/Los_Angeles): every time on staff
    # pages is shown in it; stored times stay UTC. Checked when the app starts.
    CLINIC_TIMEZONE = os.environ.get("CLINIC_TIMEZONE", "UTC")
    # Working days within which a clinician reads a submission without an urgent item.
    REVIEW_DAYS = _env_int("REVIEW_DAYS", 2)
    # The FHIR Questionnaire's canonical URL (empty: a fixed URN); never from a request.
    FHIR_CANONICAL_URL = os.environ.get("FHIR_CANONICAL_URL", "")
    # How many reverse proxies in front set X-Forwarded-For/-Proto (0: none, trust nothing).
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # Clinician accounts.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # gunicorn's worker count (gunicorn.conf.py); production needs shared limit storage unless 1.
    WEB_CONCURRENCY = (
        int(os.environ["WEB_CONCURRENCY"]) if os.environ.get("WEB_CONCURRENCY") else None
    )
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
    # A staff session ends this long after sign-in, however active (on top of the idle limit).
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    SIGN_IN_MAX_FAILURES = _env_int("SIGN_IN_MAX_FAILURES", 5)
    # Staff without two-factor sign-in set it up at their next sign-in (on in production).
    REQUIRE_TWO_FACTOR = _env_flag("REQUIRE_TWO_FACTOR", False)
    # How long an admin's invitation link to a new staff member works.
    INVITATION_HOURS = _env_int("INVITATION_HOURS", 72)
    # How long the step between a right password and the two-factor code may take.
    TWO_FACTOR_PENDING_MINUTES = _env_int("TWO_FACTOR_PENDING_MINUTES", 10)
    SIGN_IN_LOCK_MINUTES = _env_int("SIGN_IN_LOCK_MINUTES", 15)
    # Data lifecycle: drafts go after DRAFT_TTL_DAYS; reviewed submissions after RETENTION_DAYS.
    DRAFT_TTL_DAYS = _env_int("DRAFT_TTL_DAYS", 14)
    RETENTION_DAYS = int(os.environ["RETENTION_DAYS"]) if os.environ.get("RETENTION_DAYS") else None

    # Email: the outbox worker delivers over SMTP (screening/outbox.py). Booleans stay text
    # here and are read (true/false/1/0) when the worker starts, so a typo is a clear error.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = os.environ.get("MAIL_PORT", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "false")
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "")
    # First retry after this many seconds, doubling up to an hour; never given up.
    MAIL_RETRY_SECONDS = float(os.environ.get("MAIL_RETRY_SECONDS", "30"))
    # Development without MAIL_SERVER: emails are printed and kept here (default instance/mail).
    MAIL_DIR = os.environ.get("MAIL_DIR", "")
    # The worker's queue: redis://host:6379/N, or unset for SQLite under instance/.
    TASK_QUEUE_URL = os.environ.get("TASK_QUEUE_URL", "")
    TASK_QUEUE_NAME = os.environ.get("TASK_QUEUE_NAME", "screening")

    # Alerts: levels that open one, who is emailed, and when an open alert escalates.
    ALERT_LEVELS = _env_list("ALERT_LEVELS") or ("urgent",)
    ALERT_RECIPIENTS = _env_list("ALERT_RECIPIENTS")
    ALERT_ESCALATION_RECIPIENTS = _env_list("ALERT_ESCALATION_RECIPIENTS")
    ALERT_ESCALATE_MINUTES = _env_int("ALERT_ESCALATE_MINUTES", 30)
    CALLBACK_RATE_LIMIT = os.environ.get("CALLBACK_RATE_LIMIT", "5 per hour")

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
    # So `make run` shows an alert and an escalation arriving (printed, kept in instance/mail).
    ALERT_RECIPIENTS = Config.ALERT_RECIPIENTS or ("alerts@clinic.example",)
    ALERT_ESCALATION_RECIPIENTS = Config.ALERT_ESCALATION_RECIPIENTS or ("lead@clinic.example",)


class TestConfig(Config):
    """Tests: a database per test, chosen by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # tests only
    ENCRYPTION_KEYS = "fUYSQq1oe4lFrhmpWwcY3o0YH8l1kb84cUbuAM6rBeE="  # tests only, never deployed
    WTF_CSRF_ENABLED = True
    # Tasks go to memory and no worker runs unless a test starts one on a queue of its own.
    TASK_QUEUE_URL = "memory://"


class ProductionConfig(Config):
    """Production: secure cookies; refuses to start without a secret key."""

    SESSION_COOKIE_SECURE = True
    # __Host-: only over HTTPS, path /, no Domain, so a sibling subdomain cannot plant it.
    # __Secure-: only over HTTPS (the staff cookie's path is /clinician, so not __Host-).
    SESSION_COOKIE_NAME = "__Host-screening_session"
    STAFF_SESSION_COOKIE_NAME = "__Secure-screening_staff"
    REQUIRE_TWO_FACTOR = _env_flag("REQUIRE_TWO_FACTOR", True)
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
