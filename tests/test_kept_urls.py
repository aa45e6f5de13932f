"""URLs built once per process (templating.kept_url) still follow where the app is mounted."""

from __future__ import annotations


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
