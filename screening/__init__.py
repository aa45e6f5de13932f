"""screening: the pre-consultation questionnaire of a ketamine-therapy clinic."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

# What only a running app needs is imported inside the functions below: `flask evaluate` loads
# this package as a CLI plugin, and need not pay for cryptography or a proxy middleware.


def create_app(config: str | Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands, error pages."""
    # Imported here: `flask evaluate` loads this package as a CLI plugin before Flask has put
    # the project folder, where config.py lives, on the path (screening/evaluate_cli.py).
    from config import CONFIGS

    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    from .templating import PageEnvironment

    app.jinja_environment = PageEnvironment  # before anything creates app.jinja_env
    overrides: Mapping[str, Any] = {}
    if config is None or isinstance(config, str):
        name = config or os.environ.get("SCREENING_ENV", "development")
    else:
        name, overrides = config.get("ENV_NAME", "test"), config
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides)
    app.config.setdefault("ENV_NAME", name)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _finish_config(app, name)

    from . import cookies, crypto, database, i18n, templating
    from .extensions import csrf, db, limiter, login_manager, migrate

    crypto.init_app(app)
    cookies.register(app)
    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)

    from .patient import bp as patient_bp

    # Questionnaire pages check their CSRF token themselves, so an expired token shows the
    # page again with every answer kept instead of an error page.
    csrf.exempt(patient_bp)
    app.register_blueprint(patient_bp)

    from .clinician import bp as clinician_bp

    app.register_blueprint(clinician_bp)

    from . import cli, logs, security, tasks, views

    tasks.init_app(app)

    logs.register(app)
    cli.register(app)
    views.register(app)
    security.register(app)
    database.register(app)
    if app.config.get("TRUSTED_PROXIES"):
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto for the client address
        # (audit log, rate limits) and for HTTPS (secure cookies, HSTS). Outermost, so every
        # other middleware sees what the proxy says.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app


def _finish_config(app: Flask, name: str) -> None:
    """Defaults that depend on the instance folder; production refuses to guess secrets."""
    from cryptography.fernet import Fernet

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'screening.db'}"
        )
    for key, make in (
        ("SECRET_KEY", lambda: secrets.token_urlsafe(48)),
        ("ENCRYPTION_KEYS", lambda: Fernet.generate_key().decode()),
    ):
        if app.config.get(key):
            continue
        if name == "production":
            raise RuntimeError(f"{key} must be set in production")
        # Development keeps generated keys in the instance folder, so drafts and
        # submissions survive a server restart.
        key_file = Path(app.instance_path) / key.lower()
        if not key_file.exists():
            key_file.write_text(make())
            key_file.chmod(0o600)
        app.config[key] = key_file.read_text().strip()
    check_timezone(app.config["CLINIC_TIMEZONE"])
    if name == "production":
        _refuse_unsafe_production(app.config)


def check_timezone(name: str) -> None:
    """Refuse to start with a CLINIC_TIMEZONE that is not an IANA time zone name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RuntimeError(
            f"CLINIC_TIMEZONE {name!r} is not a time zone name (e.g. America/Los_Angeles)"
        ) from error


MIN_SECRET_KEY_LENGTH = 32


def _refuse_unsafe_production(config: Mapping[str, Any]) -> None:
    """Production refuses a guessable SECRET_KEY, sign-in limits counted per worker, and
    running without a mail server (alerts go out by email)."""
    if not config.get("MAIL_SERVER"):
        raise RuntimeError("MAIL_SERVER must be set in production (alerts go out by email)")
    if len(str(config["SECRET_KEY"])) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long in production"
        )
    refuse_per_worker_limits(config["RATELIMIT_STORAGE_URI"], config.get("WEB_CONCURRENCY"))


def refuse_per_worker_limits(storage_uri: str, workers: int | None) -> None:
    """Raise RuntimeError when limits would be counted in memory by several worker processes.

    With `memory://` each process counts on its own, so N workers let N times the limit
    through. `workers` None means the number is not known (gunicorn's default is several).
    """
    if storage_uri.startswith("memory://") and workers != 1:
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI is memory://, so each worker would count sign-in attempts "
            "on its own: set it to a shared store (redis://host:6379/0), or run one worker "
            "(WEB_CONCURRENCY=1)"
        )


__all__ = ["create_app", "refuse_per_worker_limits"]
