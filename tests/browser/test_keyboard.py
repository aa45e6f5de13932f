"""Pages 1 to 4 with the keyboard alone: Tab, Space, arrow keys, typing and Enter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.browsing import Browsing
from tests.browser.keyboard import do_by_keyboard, has_focus, tab_to
from tests.browser.patient import WORKED_EXAMPLE, continue_button, expect_page, heading

pytestmark = pytest.mark.browser


def test_pages_1_to_4_with_the_keyboard_alone(browse: Browsing):
    page = browse.new_page()
    page.goto("/")

    # The first Tab reaches the skip link, which takes the focus past the header.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert has_focus(skip_link)
    page.keyboard.press("Enter")
    assert has_focus(page.get_by_role("main"))

    for title, steps in WORKED_EXAMPLE[:4]:
        expect_page(page, title)
        for step in steps:
            do_by_keyboard(page, step)
        tab_to(page, continue_button(page))
        page.keyboard.press("Enter")
        expect(heading(page)).not_to_have_text(title)

    # Page 5 comes next, with the first four pages' answers kept.
    expect_page(page, "More about your symptoms")
    tab_to(page, page.get_by_role("link", name="Back"))
    page.keyboard.press("Enter")
    expect_page(page, "Mood and anxiety")
    expect(
        page.get_by_role(
            "group", name="9. Thoughts that you would be better off dead"
        ).get_by_label("Not at all", exact=True)
    ).to_be_checked()
    browse.assert_self_contained()
