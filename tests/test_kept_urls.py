"""URLs built once per process (templating.kept_url) still follow where the app is mounted, and
the language links built from them are url_for's."""

from __future__ import annotations

import pytest
from flask import url_for

from screening.i18n import language_switch_url


def test_kept_urls_follow_the_script_root(client):
    plain = client.get("/questionnaire/start").get_data(as_text=True)
    mounted = client.get("/questionnaire/start", base_url="http://localhost/clinic/").get_data(
        as_text=True
    )
    assert 'href="/static/css/main.css"' in plain
    assert 'action="/questionnaire/start"' in plain
    assert 'href="/clinic/static/css/main.css"' in mounted
    assert 'action="/clinic/questionnaire/start"' in mounted
    # and the first again, from what was kept for it
    assert 'href="/static/css/main.css"' in client.get("/questionnaire/start").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "here",
    [
        "/questionnaire/start",
        "/questionnaire/mood?return_to=review",
        "/questionnaire/review?a=1&b=2",
        "/resume?token=a+b/c=d%2F&x=é ñ",
        "/nowhere?q='(!$*,;:@)'#frag",
    ],
)
def test_the_language_links_are_what_url_for_gives(app, here):
    with app.test_request_context("/", base_url="http://localhost/clinic/"):
        for code in ("en", "es"):
            assert language_switch_url(code, here) == url_for(
                "change_language", code=code, next=here
            )
