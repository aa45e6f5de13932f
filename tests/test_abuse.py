"""Bad input and abuse: arbitrary form posts, arbitrary JSON, oversized bodies, floods.

Whatever arrives, the answer is a page with field errors, an accepted answer or a clear
refusal: never a server error or a traceback.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from screening import create_app
from screening.extensions import REQUEST_WIDE_LIMITS
from screening.patient.forms import field_name, from_document
from screening.questionnaire.schema import PAGES, REVIEW
from tests.helpers import complete_questionnaire, csrf_token, page_data, worked_example

QUESTION_PAGES = [page for page in PAGES if page is not REVIEW]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.text(max_size=300) | st.sampled_from(
    ["", " ", "0", "-1", "1e9", "NaN", "١٢", "²", "\x00", "<script>", "yes", "true", "other"]
)
numbers = st.integers(-(10**12), 10**12).map(str) | st.floats(allow_nan=True).map(str)


def field_names(page) -> list[str]:
    """Every field name the page can send, from a full document's fields and the schema."""
    names = set(page_data(page.slug, worked_example())) | set(
        from_document(page, worked_example()).raw
    )
    names |= {field_name(q.path) for q in page.questions}
    names |= {f"medication_trials-{i}-{k}" for i in (0, 7, 99) for k in ("medication", "outcome")}
    return sorted(names)


def posts(page) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Lists of (name, value) pairs: known and unknown names, missing and repeated fields."""
    name = st.sampled_from([*field_names(page), "action", "return_to", "unknown"]) | st.text(
        max_size=30
    )
    value = texts | numbers | st.sampled_from(["add-trial", "remove-trial-0", "remove-trial-99"])
    return st.lists(st.tuples(name, value), max_size=40)


def assert_handled(response) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code in {200, 302, 400, 404, 413, 422}, response.status_code
    assert "Traceback" not in body


@pytest.mark.parametrize("page", QUESTION_PAGES, ids=lambda page: page.slug)
def test_arbitrary_posts_to_every_patient_page(app, client, page):
    app.config["SUBMIT_RATE_LIMIT"] = "10000 per minute"
    doc = worked_example()
    doc["symptoms"]["phq9"][8] = 1
    doc["safety"]["suicide_plan_or_intent"] = "no"
    doc["conditions"]["suspected"] = ["ptsd"]
    doc["symptoms"]["pcl5"] = [1] * 20
    complete_questionnaire(client, doc)
    token = csrf_token(client.get("/questionnaire/start").get_data(as_text=True))

    @FUZZ
    @given(pairs=posts(page))
    def post_anything(pairs):
        data = MultiDict([("csrf_token", token), *pairs])
        assert_handled(client.post(f"/questionnaire/{page.slug}", data=data))
        assert_handled(client.get(f"/questionnaire/{page.slug}"))

    post_anything()


def test_arbitrary_sign_in_attempts(app, client):
    app.config["SIGN_IN_RATE_LIMIT"] = "100000 per minute"
    token = csrf_token(client.get("/clinician/sign-in").get_data(as_text=True))

    @FUZZ
    @given(
        pairs=st.lists(
            st.tuples(st.sampled_from(["email", "password", "next", "x"]), texts | numbers),
            max_size=8,
        ),
        next_url=texts,
    )
    def sign_in_with(pairs, next_url):
        data = MultiDict([("csrf_token", token), *pairs])
        response = client.post(f"/clinician/sign-in?next={next_url}", data=data)
        assert_handled(response)
        assert response.status_code != 302  # nobody signs in without an account

    sign_in_with()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=6)
    ),
    max_leaves=30,
)


def mutated_documents():
    """The worked example with one part replaced by arbitrary JSON."""
    doc = worked_example()
    paths = [(section, key) for section, value in doc.items() if isinstance(value, dict)
             for key in value] + [(section, None) for section in doc]  # fmt: skip

    def replace(choice):
        (section, key), value = choice
        changed = worked_example()
        if key is None:
            changed[section] = value
        else:
            changed[section][key] = value
        return changed

    return st.tuples(st.sampled_from(paths), json_values).map(replace)


def test_evaluate_takes_arbitrary_json(runner, tmp_path):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(document=json_values | mutated_documents())
    def evaluate(document):
        result = runner.invoke(args=["evaluate", "-"], input=json.dumps(document))
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 0:
            assert set(json.loads(result.stdout)) == {"rules_version", "flags", "scores"}
        else:
            assert result.stdout == ""
            assert all(": " in line for line in result.stderr.splitlines())

    evaluate()


def test_an_oversized_body_gets_a_clear_page(app, client):
    response = client.post(
        "/questionnaire/start", data={"notes": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_submit_is_rate_limited(app, client):
    app.config["SUBMIT_RATE_LIMIT"] = "3 per minute"
    codes = [client.post("/questionnaire/submit").status_code for _ in range(5)]
    assert codes[:3] == [302, 302, 302]
    assert codes[3:] == [429, 429]


def test_limits_are_checked_by_their_route_only(app, client):
    """Limits live on their views (extensions.RouteLimiter): the limited route still refuses
    and says how many it allows, while other pages are not checked at all."""
    app.config["SUBMIT_RATE_LIMIT"] = "2 per minute"
    first = client.post("/questionnaire/submit")
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert [client.post("/questionnaire/submit").status_code for _ in range(2)] == [302, 429]
    page = client.get("/questionnaire/start")
    assert page.status_code == 200
    assert "X-RateLimit-Limit" not in page.headers


@pytest.mark.parametrize("setting", REQUEST_WIDE_LIMITS)
def test_a_request_wide_limit_is_refused_not_ignored(database_url, setting):
    with pytest.raises(RuntimeError, match=setting):
        create_app(
            {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url, setting: "1 per day"}
        )
