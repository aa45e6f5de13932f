"""Fixtures of the staff-account tests."""

from __future__ import annotations

import pytest
from flask import Flask

from screening import accounts
from screening.extensions import db

from .helpers import PASSWORD, MakeUser


@pytest.fixture
def make_user(app: Flask) -> MakeUser:
    """Create a staff account and return its id."""

    def make(email: str = "nurse@example.org", password: str = PASSWORD, role: str = "clinician"):
        with app.app_context():
            user = accounts.create_user(email, password, role)
            db.session.commit()
            return user.id

    return make
