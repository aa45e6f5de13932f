"""A questionnaire page's frame, drawn once (templating.kept_frame), shows what the page drawn
afresh shows, and nothing of anyone else: each person's answers and CSRF token are their own."""

from __future__ import annotations

import re
import time
from itertools import count
from unittest.mock import patch

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from markupsafe import escape

from screening.templating import KEPT, Frame, slot
from tests.helpers import (
    complete_questionnaire,
    csrf_token,
    page_data,
    post_form,
    worked_example,
)

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')


def _without_token(html: str) -> str:
    return TOKEN.sub('name="csrf_token" type="hidden" value=""', html)


def _frames(app: Flask) -> list:
    """The keys of the kept page frames (not the questions' frames)."""
    kept = app.extensions.get(KEPT, {})
    return [key for key in kept if key[0][0] == "frame" and key[0][1][0] != "question"]


def test_a_frame_fills_its_slots_in_place():
    frame = Frame(f"<p>{slot('a')} and {slot('b')}</p>{slot('a')}")
    assert frame.fill(a="1", b="<b>2</b>") == "<p>1 and <b>2</b></p>1"
    with pytest.raises(KeyError):
        frame.fill(a="1")
    with pytest.raises(ValueError, match="not closed"):
        Frame("<p>\x00a</p>")


def test_a_frame_drops_the_templates_indentation_only():
    frame = Frame(f"<ul>\n    <li>a b</li>\n\n  </ul>\t{slot('x')}  <p>\n  c</p>")
    assert (
        frame.fill(x="  two  spaces\n  kept  ")
        == "<ul>\n<li>a b</li>\n</ul>\t  two  spaces\n  kept    <p>\nc</p>"
    )


def _same_afresh_and_kept(app: Flask, client: FlaskClient, address: str) -> str:
    """The page at `address` drawn afresh (development's template reloading keeps nothing),
    then twice from what is kept: all three the same, CSRF token aside."""
    app.jinja_env.auto_reload = True
    fresh = client.get(address).get_data(as_text=True)
    app.jinja_env.auto_reload = False
    first, kept = (client.get(address).get_data(as_text=True) for _ in range(2))
    assert _without_token(first) == _without_token(fresh) == _without_token(kept), address
    return kept


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_kept_page_is_the_page_drawn_afresh(app, client, language):
    """Every page of the worked example, blank, answered, and from the review page: the page
    from its kept frames equals the page drawn afresh."""
    client.get(f"/language/{language}?next=/")
    doc = worked_example()
    slug, shown = "start", []
    while slug != "review" and slug not in shown:
        shown.append(slug)
        _same_afresh_and_kept(app, client, f"/questionnaire/{slug}")
        response = post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
        assert response.status_code == 302, (slug, response.get_data(as_text=True)[-3000:])
        slug = response.location.rsplit("/", 1)[-1]
    assert slug == "review" and len(shown) >= 8
    for slug in shown:
        for address in (f"/questionnaire/{slug}", f"/questionnaire/{slug}?return_to=review"):
            html = _same_afresh_and_kept(app, client, address)
            for value in (escape(v) for values in page_data(slug, doc).values() for v in values):
                assert f'value="{value}"' in html or f">{value}</textarea>" in html
    kept_addresses = {key[0][1][1].rstrip("?") for key in _frames(app)}
    assert kept_addresses == {
        f"/questionnaire/{slug}{query}" for slug in shown for query in ("", "?return_to=review")
    }
    assert {key[1] for key in _frames(app)} == {language}


def test_the_kept_markup_holds_no_answer_and_shows_typed_text_escaped(app, client):
    """A person's own words go through the frames escaped, as Jinja escapes them, next to a
    question drawn afresh for its error; nothing kept holds them."""
    doc = worked_example()
    for slug in ("start", "about"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
    typed = "<b>\"Zeb\" & 'Quill'</b>"
    data = {**page_data("about", doc), "about-date_of_birth": typed}
    html = post_form(client, "/questionnaire/about", data).get_data(as_text=True)
    assert 'value="&lt;b&gt;&#34;Zeb&#34; &amp; &#39;Quill&#39;&lt;/b&gt;"' in html
    assert 'value="CA" selected' in html and 'value="female" checked' in html
    app.jinja_env.auto_reload = True
    fresh = post_form(client, "/questionnaire/about", data).get_data(as_text=True)
    assert _without_token(fresh) == _without_token(html)
    values = app.extensions[KEPT].values()
    kept = " ".join(" ".join(v.pieces) if isinstance(v, Frame) else str(v) for v in values)
    assert "Zeb" not in kept and "1988-03-14" not in kept
    assert 'value="female" checked' not in kept  # only the slots where answers go
    slots = [name for value in values if isinstance(value, Frame) for name in value.slots]
    assert slots.count("chosen\x01about-sex_at_birth\x01female") == 1


def test_each_person_sees_only_their_own_answers_and_token(app):
    first, second = app.test_client(), app.test_client()
    doc = worked_example()
    theirs = {**page_data("about", doc), "about-date_of_birth": "1961-02-03"}
    for client, about in ((first, theirs), (second, page_data("about", doc))):
        for slug, data in (("start", page_data("start", doc)), ("about", about)):
            assert post_form(client, f"/questionnaire/{slug}", data).status_code == 302
    their_page = first.get("/questionnaire/about").get_data(as_text=True)
    my_page = second.get("/questionnaire/about").get_data(as_text=True)
    assert 'value="1961-02-03"' in their_page
    assert "1961-02-03" not in my_page and 'value="1988-03-14"' in my_page
    assert csrf_token(their_page) != csrf_token(my_page)
    # Each token is its owner's: the second person's page saves with the second person's token.
    form = page_data("about", doc)
    refused = second.post(
        "/questionnaire/about", data={"csrf_token": csrf_token(their_page), **form}
    )
    assert refused.status_code == 400
    saved = second.post("/questionnaire/about", data={"csrf_token": csrf_token(my_page), **form})
    assert saved.status_code == 302


def test_an_unusual_address_is_drawn_afresh_and_not_kept(app, client):
    client.get("/questionnaire/start")
    kept = len(_frames(app))
    for n in range(5):
        html = client.get(f"/questionnaire/start?utm={n}").get_data(as_text=True)
        assert f"next=/questionnaire/start?utm%3D{n}" in html  # its own language links
    assert len(_frames(app)) == kept == 1


def test_a_posted_return_to_adds_no_frame(app, client):
    """A page drawn for a POST (a row added) takes only "goes back to review or not" from the
    posted return_to: anything else sent there draws the page kept without it."""
    complete_questionnaire(client, worked_example())
    html = client.get("/questionnaire/treatments").get_data(as_text=True)
    data = {**page_data("treatments", worked_example()), "action": "add-trial"}
    pages = []
    for return_to in (None, "elsewhere-1", "elsewhere-2", "review"):
        sent = {**data, "csrf_token": csrf_token(html)}
        if return_to:
            sent["return_to"] = return_to
        pages.append(client.post("/questionnaire/treatments", data=sent).get_data(as_text=True))
    assert _without_token(pages[0]) == _without_token(pages[1]) == _without_token(pages[2])
    assert 'name="return_to" value="review"' in pages[3]
    assert 'name="return_to"' not in pages[0]
    treatments = [key for key in _frames(app) if "/questionnaire/treatments?" in key[0][1]]
    assert len(treatments) == 2  # the GET and the POSTs not going back to review; the one that does


def test_a_flashed_message_shows_on_a_page_whose_frame_is_kept(client: FlaskClient):
    client.get("/questionnaire/start")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "A word from the clinic")]
    assert "A word from the clinic" in client.get("/questionnaire/start").get_data(as_text=True)
    assert "A word from the clinic" not in client.get("/questionnaire/start").get_data(as_text=True)


def _tokens(client: FlaskClient, pages: int) -> list[str]:
    """The CSRF tokens of `pages` GETs of the first page, signed seconds apart."""
    seconds = count(int(time.time()) - 600, 5)
    with patch.object(TimestampSigner, "get_timestamp", side_effect=seconds):
        return [
            csrf_token(client.get("/questionnaire/start").get_data(as_text=True))
            for _ in range(pages)
        ]


def test_a_session_is_shown_the_token_signed_for_it_once(app, client):
    """The CSRF token is signed once per session (page_csrf_token) and still saves the page;
    with a time limit on tokens, each page signs its own again."""
    first, again = _tokens(client, 2)
    assert first == again
    other = app.test_client()
    assert _tokens(other, 1)[0] != first
    data = page_data("start", worked_example())
    saved = client.post("/questionnaire/start", data={"csrf_token": first, **data})
    assert saved.status_code == 302
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    before, after = _tokens(other, 2)
    assert before != after
