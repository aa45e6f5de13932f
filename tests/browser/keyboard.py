"""Answering with the keyboard alone: Tab to a field, then Space, arrows or typing.

Locators only tell whether the right element has the focus; nothing is clicked or filled.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.browser.patient import Check, Choose, Fill, Press, Select, Step

MAX_TABS = 80  # more than any page has stops before its Continue button


def has_focus(element: Locator) -> bool:
    return element.evaluate("element => element === document.activeElement")


def holds_focus(element: Locator) -> bool:
    return element.evaluate("element => element.contains(document.activeElement)")


def focus_is_visible(page: Page) -> bool:
    """The focused element draws an outline (WCAG 2.4.7 Focus Visible)."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def tab_to(page: Page, target: Locator, reached=has_focus) -> None:
    """Press Tab until `target` has the focus; it must get there, with a visible focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if reached(target):
            assert focus_is_visible(page), "the keyboard focus is not visible"
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {target}")


def type_date(page: Page, iso_date: str) -> None:
    """Type a date into a focused date field as a US browser shows it: month, day, year."""
    year, month, day = iso_date.split("-")
    page.keyboard.type(f"{month}{day}{year}")


def do_by_keyboard(page: Page, step: Step) -> None:
    """One step of an answer list, with the keyboard alone."""
    if isinstance(step, Check):
        tab_to(page, step.field(page))
        page.keyboard.press("Space")
        assert step.field(page).is_checked()
    elif isinstance(step, Fill):
        field = step.field(page)
        tab_to(page, field)
        if field.get_attribute("type") == "date":
            type_date(page, step.text)
        else:
            page.keyboard.type(step.text)
        assert field.input_value() == step.text
    elif isinstance(step, Select):
        field = step.field(page)
        tab_to(page, field)
        page.keyboard.type(step.option)  # a closed list jumps to the option typed
        assert field.evaluate("select => select.selectedOptions[0].label") == step.option
    elif isinstance(step, Choose):
        _choose(page, step)
    elif isinstance(step, Press):
        tab_to(page, step.field(page))
        with page.expect_navigation():
            page.keyboard.press("Enter")


def _choose(page: Page, step: Choose) -> None:
    """Tab into the question, then move with the arrow keys to the option (radios), or Tab
    to the option and press Space (checkboxes)."""
    option = step.field(page)
    if option.get_attribute("type") == "checkbox":
        tab_to(page, option)
        page.keyboard.press("Space")
    else:
        tab_to(page, step.group(page), reached=holds_focus)
        for _ in range(10):
            if has_focus(option):
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
    assert option.is_checked(), f"{step.option!r} is not chosen for {step.question!r}"
