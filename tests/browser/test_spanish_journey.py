"""A Spanish speaker on a phone: the language chosen on the first page, switched midway and
back, no answer lost, every page in Spanish (lang="es") and clean for axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import PHONE, PHONE_OPTIONS, Browsing
from tests.browser.patient import answer_by_http, expect_page
from tests.helpers import worked_example

pytestmark = pytest.mark.browser


def expect_language(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)


def checked_answers(page: Page) -> list[str]:
    return page.locator("input:checked").evaluate_all("inputs => inputs.map(i => i.name + i.value)")


def test_a_spanish_speaker_on_a_phone_switches_language_midway_and_loses_nothing(
    browse: Browsing,
):
    page = browse.new_page(PHONE, **PHONE_OPTIONS)
    page.goto("/questionnaire/start")
    expect_language(page, "en")
    page.get_by_role("link", name="Español").click()
    expect_page(page, "Antes de empezar")
    expect_language(page, "es")
    browse.audit(page)

    answer_by_http(page, worked_example())  # the same browser: its cookies, its language
    page.goto("/questionnaire/mood")
    expect_page(page, "Estado de ánimo y ansiedad")
    expect(page.get_by_text("Poco interés o placer en hacer cosas")).to_be_visible()
    browse.audit(page)
    answered = checked_answers(page)
    assert len(answered) >= 16  # every PHQ-9 and GAD-7 item

    page.get_by_role("link", name="English").click()
    expect_page(page, "Mood and anxiety")
    expect_language(page, "en")
    assert checked_answers(page) == answered
    page.get_by_role("link", name="Español").click()
    expect_page(page, "Estado de ánimo y ansiedad")
    assert checked_answers(page) == answered
    page.get_by_role("button", name="Continuar", exact=True).click()

    page.goto("/questionnaire/review")
    expect_page(page, "Revise sus respuestas")
    expect_language(page, "es")
    expect(page.get_by_text("Alex Example")).to_be_visible()
    browse.audit(page)
    page.get_by_role("button", name="Enviar mis respuestas").click()

    expect_page(page, "Sus respuestas fueron enviadas")
    expect_language(page, "es")
    expect(page.get_by_text("Llame al 911 si está en peligro inmediato.")).to_be_visible()
    browse.audit(page)
