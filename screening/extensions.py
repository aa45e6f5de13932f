"""Flask extensions, created unbound and initialised in the app factory."""

from flask import Flask, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints, so Alembic can drop and alter them on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


class StaffLoginManager(LoginManager):
    """Flask-Login, whose session protection looks only at signed-in sessions.

    With session_protection "strong" a session whose address or browser changed loses its
    user. An anonymous session (a patient's, or the sign-in page's CSRF token) has no user to
    lose, so it is left alone rather than marked and answered with a cleared cookie.
    """

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False
        return bool(super()._session_protection_failed())


login_manager = StaffLoginManager()

# Limits Flask-Limiter would check before every request, which this app does not use.
REQUEST_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


class RouteLimiter(Limiter):
    """Flask-Limiter with every limit on its own route (`@limiter.limit` on a view).

    A limited view checks its limits itself when it is called. Flask-Limiter also checks
    before every request, for default, application-wide and blueprint-wide limits: this app
    sets none, and that check, which finds nothing, was 7% of a questionnaire page's work. So
    it is taken off the app's before-request functions, and configuring a request-wide limit
    is refused rather than left unenforced. (A limit on a whole blueprint, `limiter.limit(bp)`,
    would not be enforced either: put it on each view.)
    """

    def init_app(self, app: Flask) -> None:
        for setting in REQUEST_WIDE_LIMITS:
            if app.config.get(setting):
                raise RuntimeError(f"{setting} is set, but this app's limits are per route")
        super().init_app(app)
        checks = app.before_request_funcs.get(None, [])
        if self._check_request_limit in checks:
            checks.remove(self._check_request_limit)


# Storage comes from RATELIMIT_STORAGE_URI (memory by default).
limiter = RouteLimiter(key_func=get_remote_address, default_limits=[])
