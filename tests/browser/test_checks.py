"""The checks the journeys rely on can fail: axe-core, same origin, the CSP, script errors."""

from __future__ import annotations

import pytest

from tests.browser.browsing import Browsing

pytestmark = pytest.mark.browser


def test_the_checks_catch_an_unlabelled_field_an_outside_request_and_a_blocked_script(
    browse: Browsing,
):
    page = browse.new_page()
    page.route("https://cdn.example.invalid/**", lambda route: route.abort())
    page.goto("/clinician/sign-in")
    browse.audit(page)
    browse.assert_self_contained()

    page.get_by_text("Email address").evaluate("label => label.remove()")
    with pytest.raises(AssertionError, match="label"):
        browse.audit(page)

    # An inline script: the Content-Security-Policy blocks it, and the check says so.
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.title = 'inline script ran'";
            document.head.append(script);
        }"""
    )
    with pytest.raises(AssertionError, match="Content Security Policy"):
        browse.assert_self_contained()
    assert "inline script ran" not in page.title()
    browse.problems.clear()

    # A script from another origin: the request alone fails the check.
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.src = "https://cdn.example.invalid/library.js";
            document.head.append(script);
        }"""
    )
    with pytest.raises(AssertionError, match="requests left"):
        browse.assert_self_contained()
