"""Odd input to staff pages gives a page that says what is wrong, never a server error
(issue 9, finding 4): NUL bytes, values outside a form's choices, ids beyond 32 bits, huge
page numbers, the last day of the calendar. Every case runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from screening.clinician.forms import AuditFilterForm, QueueFilterForm
from tests.helpers import post_form

TOO_BIG = 2**31


def test_a_nul_byte_in_the_sign_in_email_is_refused_with_a_message(client, make_user):
    make_user()
    response = post_form(
        client, "/clinician/sign-in", {"email": "clin\x00@example.org", "password": "x" * 12}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert "cannot contain control characters" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"status": "\x00"}, "status", "Choose a status from the list."),
        ({"flag": "\x00"}, "flag", "Choose a flag from the list."),
        ({"level": "nonsense"}, "level", "Choose a highest level from the list."),
        ({"reference": "AB\x00"}, "reference", "cannot contain control characters"),
        ({"submitted_to": "9999-12-31"}, "submitted_to", "Enter a date between"),
        ({"submitted_from": "0001-01-01"}, "submitted_from", "Enter a date between"),
    ],
)
def test_invalid_queue_filters_are_refused_by_the_form(
    client, sign_in_as, make_submission, query, field, message
):
    make_submission()
    sign_in_as("clinician")
    response = client.get("/clinician/?" + urlencode(query))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert re.search(rf'aria-describedby="{field}-error"', html)
    # The refused filter filters nothing: the one submission is still listed.
    assert "reference-link" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"action": "\x00"}, "action", "cannot contain control characters"),
        ({"user": "a\x00@example.org"}, "user", "cannot contain control characters"),
        ({"submission": "2147483648"}, "submission", "There is no submission with this number."),
        ({"submission": "12a"}, "submission", "Enter a submission number in digits."),
        ({"date_to": "9999-12-31"}, "date_to", "Enter a date between"),
    ],
)
def test_invalid_audit_filters_are_refused_by_the_form(client, sign_in_as, query, field, message):
    sign_in_as("admin")
    response = client.get("/clinician/audit?" + urlencode(query))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html


@pytest.mark.parametrize(
    "url",
    [
        f"/clinician/submissions/{TOO_BIG}",
        f"/clinician/submissions/{TOO_BIG}/print",
        f"/clinician/submissions/{TOO_BIG}/summary.pdf",
        f"/clinician/submissions/{TOO_BIG}/fhir",
        f"/clinician/submissions/{10**30}",
    ],
)
def test_an_id_beyond_32_bits_is_not_found(client, sign_in_as, url):
    sign_in_as("admin")
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_post_to_an_id_beyond_32_bits_is_not_found(client, sign_in_as):
    from tests.helpers import csrf_token

    sign_in_as("clinician")
    token = csrf_token(client.get("/clinician/password").get_data(as_text=True))
    response = client.post(
        f"/clinician/submissions/{TOO_BIG}/notes", data={"csrf_token": token, "body": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/clinician/", "/clinician/audit"])
@pytest.mark.parametrize("page", [str(10**30), str(2**63), "-5", "0", "x"])
def test_any_page_number_gives_a_page(client, sign_in_as, make_submission, url, page):
    make_submission()
    sign_in_as("admin")
    response = client.get(f"{url}?page={page}")
    assert response.status_code == 200


# Every query parameter of every staff page, fuzzed


def staff_get_pages(app) -> list[str]:
    """Every GET page of the staff side, from the app's own URL map."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/clinician") and "GET" in (rule.methods or ())
    ]
    return sorted({re.sub(r"<[^>]+>", "{id}", rule.rule) for rule in rules})


def field_names(form_class) -> set[str]:
    return {name for name, value in vars(form_class).items() if isinstance(value, UnboundField)}


PARAMETERS = sorted({*field_names(QueueFilterForm), *field_names(AuditFilterForm), "page", "next"})
values = (
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
    | st.sampled_from(
        ["\x00", "9999-12-31", "0001-01-01", "2024-02-30", str(2**31), str(10**30), "-1", "%00"]
    )
    | st.integers(-(10**40), 10**40).map(str)
)
names = st.sampled_from(PARAMETERS) | st.text(max_size=10)
queries = st.lists(st.tuples(names, values), max_size=8)


def test_no_query_string_gives_a_server_error_on_any_staff_page(
    app, client, sign_in_as, make_submission
):
    submission_id = make_submission()
    sign_in_as("admin")
    # The PDF takes a second to draw and reads no query parameter: its id is checked above.
    pages = [page for page in staff_get_pages(app) if not page.endswith("summary.pdf")]
    assert "/clinician/" in pages and "/clinician/audit" in pages

    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(page=st.sampled_from(pages), query=queries)
    def check(page: str, query: list[tuple[str, str]]) -> None:
        url = page.format(id=submission_id) + "?" + urlencode(query)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert "Traceback" not in response.get_data(as_text=True)

    check()
