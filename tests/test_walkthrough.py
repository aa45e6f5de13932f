"""A newcomer's first hour, as the clinician issue's "done means" lists it, step by step."""

from __future__ import annotations

import io
import re

from flask_migrate import upgrade
from pypdf import PdfReader

from config import TestConfig
from screening import create_app
from screening.extensions import db
from tests.helpers import csrf_token, post_form


def test_demo_admin_signs_in_seeds_and_reviews_an_urgent_submission(database_url):
    # `make run`: a development app on a migrated database...
    app = create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": TestConfig.SECRET_KEY,
            "ENCRYPTION_KEYS": TestConfig.ENCRYPTION_KEYS,
        }
    )
    with app.app_context():
        upgrade()
    client, runner = app.test_client(), app.test_cli_runner()
    # ...creates the demo admin once and prints its email and password.
    printed = runner.invoke(args=["ensure-demo-admin"]).output
    email, password = re.search(r"Demo admin: (\S+) / (\S+)", printed).groups()

    response = post_form(client, "/clinician/sign-in", {"email": email, "password": password})
    assert response.headers["Location"] == "/clinician/"

    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    count = int(re.search(r"Loaded (\d+)", seeded.output).group(1))
    assert 25 <= count <= 40

    queue = client.get("/clinician/").get_data(as_text=True)
    first = re.search(r'href="(/clinician/submissions/\d+)" class="reference-link"', queue)
    page = first.group(1)
    submission = client.get(page).get_data(as_text=True)
    assert "‼</span> Urgent" in submission  # the queue puts an urgent one first

    printed_page = client.get(f"{page}/print").get_data(as_text=True)
    assert "Screening summary — not a diagnosis or a treatment decision" in printed_page
    pdf = client.get(f"{page}/summary.pdf")
    assert pdf.data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) <= 2

    token = csrf_token(submission)
    client.post(f"{page}/notes", data={"csrf_token": token, "body": "Called the patient back."})
    client.post(f"{page}/reviewed", data={"csrf_token": token})
    after = client.get(page).get_data(as_text=True)
    assert "Called the patient back." in after
    assert f"by {email}" in after
    assert "Mark reviewed" not in after
    with app.app_context():
        db.engine.dispose()
