"""The questionnaire definition's words: every one in the Spanish catalogue, and the words that
name a clinic's threshold ("less than %(weeks)s weeks") saying the clinic's value everywhere."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from screening import fhir
from screening.extensions import db
from screening.models import Submission
from screening.questionnaire.catalogue import MEDICATIONS
from screening.questionnaire.schema import PAGES, TRIAL_OUTCOME
from screening.questionnaire.types import Question
from tests.helpers import complete_questionnaire, submit, worked_example

CATALOGUE = Path(__file__).parent.parent / "screening/translations/es/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Medicine names are names: the catalogue's antidepressants are shown as they are.
NAMES = {m.label for m in MEDICATIONS.values() if m.key != "other_antidepressant"}


def question_words(question: Question, where: str) -> Iterator[tuple[str, str]]:
    instrument = question.instrument
    if instrument is None or instrument.translated:  # the PCL-5 stays English (SPANISH.md)
        yield question.label, f"{where} label"
    if question.hint:
        yield question.hint, f"{where} hint"
    for choice in question.choices:
        if choice.label not in NAMES:
            yield choice.label, f"{where} choice {choice.value}"
        if choice.hint:
            yield choice.hint, f"{where} choice {choice.value} hint"
    if question.fields:
        yield question.row_label, f"{where} row label"
        yield question.add_row, f"{where} add button"
        yield question.add_another_row, f"{where} add-another button"
        for field in question.fields:
            yield from question_words(field, f"{where}.{field.key}")


def definition_words() -> Iterator[tuple[str, str]]:
    """Every string of the definition a patient reads, with where it is."""
    for page in PAGES:
        yield page.title, f"page {page.slug} title"
        if page.intro:
            yield page.intro, f"page {page.slug} intro"
        for question in page.questions:
            yield from question_words(question, question.path)


def test_the_walk_finds_the_words_of_every_kind() -> None:
    found = dict(definition_words())
    assert len(found) > 200
    assert found["Tick all that apply, or none."].endswith("hint")
    assert found["Add another medicine"] == "medication_trials add-another button"
    assert "Sertraline (Zoloft)" not in found and "Another antidepressant" in found
    assert "Not at all" not in found  # the PCL-5's options are the instrument's, in English


def test_every_word_of_the_definition_has_a_spanish_translation() -> None:
    with CATALOGUE.open("rb") as f:
        spanish = {m.id: m for m in read_po(f, locale="es") if isinstance(m.id, str) and m.id}
    problems = []
    for text, where in definition_words():
        message = spanish.get(str(getattr(text, "template", text)))
        if message is None:
            problems.append(f"{where}: not in the catalogue: {text!r}")
        elif not message.string or message.fuzzy:
            problems.append(f"{where}: no Spanish: {text!r}")
        elif set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string)):
            problems.append(f"{where}: the Spanish has other placeholders: {text!r}")
    assert problems == []


def text_of(page: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Too early to tell (I started less than 10 weeks ago)"),
        ("es", "Es muy pronto para saber (empecé hace menos de 10 semanas)"),
    ],
)
def test_too_early_to_tell_says_the_clinics_weeks_everywhere(app, client, language, label):
    app.config["ADEQUATE_ANTIDEPRESSANT_WEEKS"] = 10
    client.get(f"/language/{language}?next=/")
    doc = worked_example()
    doc["medication_trials"][1] |= {"outcome": "too_early", "duration_weeks": 3}
    complete_questionnaire(client, doc)
    shown = {
        url: text_of(client.get(url).get_data(as_text=True))
        for url in ("/questionnaire/treatments", "/questionnaire/review")
    }
    submit(client)
    shown["summary"] = text_of(client.get("/questionnaire/summary").get_data(as_text=True))
    assert {url: label in text for url, text in shown.items()} == dict.fromkeys(shown, True)
    assert not any(re.search(r"\b6 (weeks|semanas)", text) for text in shown.values())
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        response = fhir.bundle_for(submission)["entry"][0]["resource"]
        options = fhir.questionnaire_resource()
        codings = [
            answer["valueCoding"]
            for page in response["item"]
            for item in page["item"]
            for row in item.get("item", [])
            if row["linkId"] == "medication_trials.outcome"
            for answer in row["answer"]
        ]
        english = TRIAL_OUTCOME.choice_label("too_early")
    assert {"code": "too_early", "display": english} in [
        {k: c[k] for k in ("code", "display")} for c in codings
    ]
    assert english == "Too early to tell (I started less than 10 weeks ago)"
    assert "I started less than 10 weeks ago" in str(options)
    # Outside an app, the spec's default.
    assert TRIAL_OUTCOME.choice_label("too_early").endswith("less than 6 weeks ago)")
