"""The app served over HTTP for the browser, with a fresh database, and ways to fill it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from screening import create_app
from screening.extensions import db

CLINICIAN_PASSWORD = "correct horse battery staple"


class LiveServer:
    """The app served over HTTP on a free port, with a fresh SQLite database."""

    def __init__(self, database: Path) -> None:
        self.app: Flask = create_app(
            {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
        )
        with self.app.app_context():
            db.create_all()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        with self.app.app_context():
            db.engine.dispose()

    def add_clinician(self, email: str, role: str = "clinician") -> str:
        """A staff account; returns its password."""
        from screening.models import User

        with self.app.app_context():
            hashed = generate_password_hash(CLINICIAN_PASSWORD)
            db.session.add(User(email=email, role=role, password_hash=hashed))
            db.session.commit()
        return CLINICIAN_PASSWORD

    def add_submission(self, doc: dict[str, Any]) -> tuple[int, str]:
        """A stored submission of `doc`, as if a patient had just sent it: (id, reference)."""
        from screening import rules, services

        with self.app.app_context():
            now = datetime.now(UTC)
            submission = services.store_submission(
                doc,
                now.date(),
                rules.Thresholds.from_config(self.app.config),
                submit_key=f"browser-{time.monotonic_ns()}",
                created_at=now,
            )
            db.session.commit()
            return submission.id, submission.reference
