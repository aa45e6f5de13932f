"""Several app servers share one Redis for rate limits (TEST_REDIS_URL)."""

from __future__ import annotations

import os

import pytest

from screening import create_app
from screening.extensions import db, limiter
from tests.helpers import csrf_token

REDIS = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS, reason="needs TEST_REDIS_URL")


def test_two_servers_count_sign_in_attempts_together(database_url):
    settings = {
        "ENV_NAME": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": REDIS,
        "SIGN_IN_RATE_LIMIT": "4 per minute",
    }
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        db.create_all()
        limiter.reset()  # counts left in Redis by an earlier run of this test
    codes = []
    for app in (first, second, first, second, first, second):
        client = app.test_client()
        token = csrf_token(client.get("/clinician/sign-in").get_data(as_text=True))
        response = client.post(
            "/clinician/sign-in",
            data={"csrf_token": token, "email": "x@example.org", "password": "not right at all"},
        )
        codes.append(response.status_code)
    assert codes == [200, 200, 200, 200, 429, 429]
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()
