"""Every patient page in Spanish has no English left, the catalogue is complete with its
placeholders, and the patient's emails are in the patient's language (SPANISH.md, issue 13).

What may stay English on a Spanish page, and why:
- The PCL-5 and the publishers' credit lines (SPANISH.md §1, §2): marked lang="en" on the page
  (the scale, its rows on the review page, each credit line), so the scans leave them out, as
  they leave out the "English" link of the language switch.
- Names: "Crisis Text Line" inside SPANISH.md's own Spanish crisis line; PHQ-9, GAD-7, PCL-5,
  Y-BOCS; and every catalogue entry whose Spanish is the English ("Puerto Rico").
- What the person typed (names, free text) and the clinic's own settings (name, hours).
- The questionnaire definition's words (labels, hints, choices, the medicine row's sentence): they
  are catalogue strings, so the first scan finds any left in English; the second scan, which
  compares each page with itself in English to find words never marked for translation, leaves
  them to the first.
"""

from __future__ import annotations

import html as html_lib
import pprint
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from config import Config
from screening.extensions import db
from screening.i18n import CONFIG_DEFAULTS
from screening.models import OutboxEmail
from screening.questionnaire import instruments
from screening.questionnaire.schema import PAGES, QUESTIONS, QUESTIONS_BY_PATH
from screening.questionnaire.types import Question
from tests.helpers import complete_questionnaire, csrf_token, page_data, post_form, submit
from tests.helpers import worked_example as base_example
from tests.test_faults import database_fails
from tests.validation_cases import PAGE_CASES, document_for

ROOT = Path(__file__).parent.parent
TRANSLATIONS = ROOT / "screening" / "translations"
POT, PO = TRANSLATIONS / "messages.pot", TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
# Every kind of placeholder a translation must keep: %(name)s, {name}, %s and %d.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
BRAND_NAMES = ("Crisis Text Line",)
# A word: letters (of any alphabet), perhaps with punctuation around; not a code or an address.
WORD = re.compile(r"(?<!\S)[(“\"]?[^\W\d_]{2,}(?:['’-][^\W\d_]+)*[.,;:!?)”\"]*(?!\S)")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
DOB = "1988-03-14"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/questionnaire/[^\s]+)")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """SQLite only: the words on a page do not depend on the database."""
    yield f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app with a way to reach every error page a patient can meet."""
    app.add_url_rule("/test-error/<int:code>", "test_error", lambda code: abort(code))
    return app


# --- The catalogue -----------------------------------------------------------------------------


def message_ids(message: Any) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def test_every_message_has_a_spanish_translation_that_keeps_its_placeholders():
    with POT.open("rb") as f:
        template = read_po(f)
    with PO.open("rb") as f:
        spanish = read_po(f, locale="es")
    assert not spanish.fuzzy, "pybabel compile skips a catalogue marked fuzzy"
    problems = []
    for message in template:
        if not message.id:
            continue
        ids = message_ids(message)
        translated = spanish.get(message.id)
        strings = () if translated is None else translated.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or translated.fuzzy or not strings or not all(strings):
            problems.append(f"not translated: {ids[0]!r}")
            continue
        for english, said in zip((ids[0], ids[-1], *ids[2:]), strings, strict=False):
            if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(said)):
                problems.append(f"placeholders differ: {english!r} -> {said!r}")
    assert problems == []


def test_the_placeholder_check_names_what_a_translation_drops_or_renames():
    kept = "Paso %(step)s de %(steps)s"
    for said, expected in ((kept, []), ("Paso %(paso)s de %(steps)s", ["%(step)s"])):
        missing = sorted(set(PLACEHOLDER.findall("Step %(step)s of %(steps)s")))
        assert [p for p in missing if p not in PLACEHOLDER.findall(said)] == expected
    assert PLACEHOLDER.findall("{name} %s %d %(n)s") == ["{name}", "%s", "%d", "%(n)s"]


def test_the_defaults_of_the_clinic_settings_are_in_the_catalogue():
    assert (Config.CLINIC_NAME, Config.CLINIC_HOURS) == CONFIG_DEFAULTS


# --- What a page shows -------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text nodes a person sees (and the title), leaving out what is marked lang="en"
    inside a page in another language."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._english_depth = 0
        self._page_language: str | None = None
        self._hidden = 0
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        if tag == "html":
            self._page_language = lang
        elif self._english_depth:
            self._english_depth += 1
        elif lang == "en" and self._page_language != "en":
            self._english_depth = 1
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._english_depth:
            self._english_depth -= 1
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._english_depth and not self._hidden:
            self.nodes.append(text)

    @property
    def text(self) -> str:
        return " ".join(self.nodes)


def msgid_pattern(msgid: str) -> re.Pattern[str] | None:
    """The msgid as it reads on a page (tags gone, placeholders filled in); None for fewer than
    two words, which could be Spanish too ("No", "Total")."""
    plain = html_lib.unescape(re.sub(r"<[^>]+>", "\0", msgid))
    if len(WORD.findall(PLACEHOLDER.sub("", plain))) < 2:
        return None
    parts = re.split(r"(%\(\w+\)[sd]|\0|\s+)", plain)
    regex = "".join(
        r".{1,200}?"
        if PLACEHOLDER.fullmatch(part)
        else r"\s*"
        if part == "\0"
        else r"\s+"
        if part.isspace()
        else re.escape(part)
        for part in parts
        if part
    )
    return re.compile(regex)


def catalogue_ids() -> set[str]:
    with PO.open("rb") as f:
        return {i for m in read_po(f, locale="es") if m.id for i in message_ids(m)}


def english_catalogue() -> dict[str, re.Pattern[str]]:
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="es")
    patterns = {}
    for message in catalogue:
        if message.string == message.id:
            continue  # the same in both languages: a name ("Puerto Rico", "Rhode Island")
        for msgid in message_ids(message) if message.id else ():
            pattern = msgid_pattern(msgid)
            if pattern is not None and msgid not in BRAND_NAMES:
                patterns[msgid] = pattern
    return patterns


def catalogue_english_on(text: str, catalogue: dict[str, re.Pattern[str]]) -> list[str]:
    """Each English catalogue string found in the text, with the words around it."""
    found = []
    for msgid, pattern in sorted(catalogue.items()):
        if match := pattern.search(text):
            found.append(f"{msgid!r} in “…{text[max(0, match.start() - 60) : match.end() + 30]}…”")
    return found


def test_the_scans_find_english_left_on_a_spanish_page():
    page = (
        '<html lang="es"><title>Revise sus respuestas</title><p>Some of your answers mean the '
        "clinic aims to <strong>call you today</strong>, within its opening hours (9 to 5). "
        'Outside those hours, that is the next time the clinic is open.</p><p lang="en">Use the '
        "Edit links to change anything.</p><p>Nothing was lost here.</p><p>Juan Pérez</p></html>"
    )
    english = page.replace('lang="es"', 'lang="en"')
    catalogue = {m: p for m in MSGIDS_FOR_THE_SCAN_TEST if (p := msgid_pattern(m))}
    found = catalogue_english_on(VisibleText(page).text, catalogue)
    assert [f.split(" in ")[0] for f in found] == [repr(MSGIDS_FOR_THE_SCAN_TEST[0])]
    left = unmarked_english(page, english, allowed=["Juan Pérez"])
    assert "Nothing was lost here." in left
    assert not [text for text in left if "Juan" in text or "Edit links" in text]
    assert msgid_pattern("Step %(step)s") is None  # one word: could be Spanish too


MSGIDS_FOR_THE_SCAN_TEST = [
    "Some of your answers mean the clinic aims to <strong>call you today</strong>, within its "
    "opening hours (%(hours)s). Outside those hours, that is the next time the clinic is open.",
    "Check your answers. Use the Edit links to change anything.",
]


def definition_words(doc: dict) -> list[str]:
    """Every string of the questionnaire definition, and what it makes of the answers."""
    words: list[str] = []

    def add(question: Question) -> None:
        words.extend(w for w in (question.label, question.short, question.hint) if w)
        words.extend(w for c in question.choices for w in (c.label, c.hint) if w)
        words.extend([question.row_label, question.add_row, question.add_another_row])
        for field in question.fields:
            add(field)

    for question in QUESTIONS:
        add(question)
    words.extend(w for page in PAGES for w in (page.title, page.intro) if w)
    trials = QUESTIONS_BY_PATH["medication_trials"].answer_type
    words.extend(trials.row_text(row) for row in doc.get("medication_trials") or [])
    return sorted(set(words), key=len, reverse=True)


def answer_values(doc: Any) -> list[str]:
    if isinstance(doc, dict):
        return [v for value in doc.values() for v in answer_values(value)]
    if isinstance(doc, list):
        return [v for value in doc for v in answer_values(value)]
    return [doc] if isinstance(doc, str) else []


def unmarked_english(spanish: str, english: str, allowed: list[str]) -> list[str]:
    """Text of two or more words that reads the same on the Spanish page and the English one,
    once the allowed words (definition, answers, settings, brands) are taken out."""
    same = set(VisibleText(spanish).nodes) & set(VisibleText(english).nodes)
    left = []
    for node in sorted(same):
        rest = node
        for words in allowed:
            rest = re.sub(rf"(?<!\w){re.escape(words)}(?!\w)", " ", rest, flags=re.IGNORECASE)
        if len(WORD.findall(rest)) >= 2:
            left.append(node)
    return left


class Walk:
    """One person's pages, each seen in Spanish and then, the same way, in English."""

    def __init__(self, app: Flask, doc: dict) -> None:
        self.app, self.doc = app, doc
        self.seen: dict[str, tuple[str, str]] = {}

    def look(
        self,
        name: str,
        client: FlaskClient,
        visit: Callable[[], TestResponse],
        status: int = 200,
    ) -> str:
        response = visit()
        spanish = response.get_data(as_text=True)
        assert response.status_code == status, f"{name}: {spanish[:1000]}"
        client.get("/language/en?next=/")
        english = visit().get_data(as_text=True)
        client.get("/language/es?next=/")
        self.seen[name] = (spanish, english)
        return spanish

    def problems(self) -> dict[str, dict[str, list[str]]]:
        catalogue = english_catalogue()
        definition = definition_words(self.doc)
        # The definition's words that are not catalogue strings yet are the definition's to
        # mark, not this scan's: taken out first, so that a catalogue string inside one ("the
        # clinic" in a question) is not reported as a page's own words left in English.
        unmarked = [words for words in definition if words not in catalogue_ids()]
        settings = [self.app.config["CLINIC_NAME"], self.app.config["CLINIC_HOURS"]]
        allowed = [
            *definition,
            *answer_values(self.doc),
            *BRAND_NAMES,
            *(words for words in settings if words not in CONFIG_DEFAULTS),
            *("PHQ-9", "GAD-7", "PCL-5", "Y-BOCS"),
        ]
        found = {}
        for name, (spanish, english) in self.seen.items():
            text = without(VisibleText(spanish).nodes, unmarked)
            problems = {
                "catalogue strings in English": catalogue_english_on(text, catalogue),
                "words never marked for translation": unmarked_english(spanish, english, allowed),
                "not lang=es": [] if '<html lang="es">' in spanish else ["<html lang>"],
            }
            if any(problems.values()):
                found[name] = {k: v for k, v in problems.items() if v}
        return found


def without(nodes: list[str], words: list[str]) -> str:
    """The text of the nodes with each of `words` taken out of it."""
    text = " ".join(nodes)
    for each in words:
        text = text.replace(each, " ")
    return text


def spanish_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert client.get("/language/es?next=/").status_code == 302
    return client


def emails(app: Flask, kind: str) -> list[OutboxEmail]:
    with app.app_context():
        query = select(OutboxEmail).where(OutboxEmail.kind == kind).order_by(OutboxEmail.id)
        return list(db.session.scalars(query))


def every_kind_of_example() -> dict:
    """The worked example with the PTSD scale, the safety check and the crisis page shown."""
    doc = base_example()
    doc["conditions"]["suspected"] = ["ptsd"]
    doc["symptoms"]["phq9"][8] = 1
    doc["safety"]["suicide_plan_or_intent"] = "yes"
    return doc


def getting(client: FlaskClient, url: str) -> Callable[[], TestResponse]:
    return lambda: client.get(url)


def posting(
    client: FlaskClient, url: str, data: dict, page: str | None = None
) -> Callable[[], TestResponse]:
    """A form sent with this data, and the CSRF token of the page it is on (`url` itself
    unless `page` says)."""

    def send() -> TestResponse:
        token = csrf_token(client.get(page or url).get_data(as_text=True))
        return client.post(url, data={"csrf_token": token, **data})

    return send


def test_every_patient_page_in_spanish_has_no_english_left(app: Flask):
    doc = every_kind_of_example()
    walk = Walk(app, doc)
    person = spanish_client(app)
    walk.look("first page", person, getting(person, "/questionnaire/start"))
    walk.look("404", person, getting(person, "/questionnaire/no-such-page"), 404)
    for code in (400, 403, 405, 413, 429, 500, 503):
        walk.look(f"error {code}", person, getting(person, f"/test-error/{code}"), code)
    complete_questionnaire(person, doc)

    for page in [p for p in PAGES if p.slug != "review" and p.is_shown(doc)]:
        url = f"/questionnaire/{page.slug}"
        walk.look(page.slug, person, getting(person, url))
        walk.look(f"{page.slug} with errors", person, posting(person, url, {}), 422)
    expired = page_data("about", doc)  # sent without the page's CSRF token
    resend = lambda: person.post("/questionnaire/about", data=expired)  # noqa: E731
    walk.look("expired page", person, resend, 400)
    token = csrf_token(person.get("/questionnaire/about").get_data(as_text=True))
    typed = {"csrf_token": token, **page_data("about", doc)}
    down = lambda: person.post("/questionnaire/about", data=typed)  # noqa: E731
    with database_fails(app):
        walk.look("page while the database is down", person, down, 503)
        walk.look("database down", person, getting(person, "/questionnaire/review"), 503)

    walk.look("crisis", person, getting(person, "/questionnaire/crisis"))
    call_me = "/questionnaire/crisis/call-me"
    walk.look(
        "call-back, wrong number",
        person,
        posting(person, call_me, {"phone": "12"}, "/questionnaire/crisis"),
        422,
    )
    number = {"phone": "555-123-4567", "first_name": "Ana"}
    assert posting(person, call_me, number, "/questionnaire/crisis")().status_code == 302
    walk.look("call-back sent", person, getting(person, call_me))
    app.config["CALLBACK_RATE_LIMIT"] = "1 per hour"
    limited = posting(person, call_me, number, "/questionnaire/crisis")
    assert limited().status_code == 302  # the one request the new limit allows
    walk.look("call-back limited", person, limited, 429)

    walk.look("review", person, getting(person, "/questionnaire/review"))
    walk.look("save", person, getting(person, "/questionnaire/save"))
    wrong_address = posting(person, "/questionnaire/save", {"email": "ana@"})
    walk.look("save, wrong address", person, wrong_address, 422)
    saved = post_form(person, "/questionnaire/save", {"email": "ana@example.org", "remind": "y"})
    assert saved.headers["Location"].endswith("/questionnaire/save/sent")
    walk.look("link sent", person, getting(person, "/questionnaire/save/sent"))

    [email] = emails(app, "resume_link")
    continue_path, cancel_path = LINK.findall(email.body)
    walk.look("reminder", person, getting(person, cancel_path))
    cancelling = posting(person, cancel_path, {}, "/questionnaire/review")
    walk.look("reminder cancelled", person, cancelling)
    laptop = spanish_client(app)
    walk.look("link question", laptop, getting(laptop, continue_path))
    wrong = posting(laptop, continue_path, {"date_of_birth": "1990-01-01"})
    walk.look("link answered wrongly", laptop, wrong, 422)
    walk.look("link refused", laptop, getting(laptop, "/questionnaire/continue/not-a-link"), 404)
    right = post_form(laptop, continue_path, {"date_of_birth": DOB})
    assert right.status_code == 302, right.get_data(as_text=True)[:500]
    walk.look("answers moved away", person, getting(person, "/questionnaire/about"))

    assert submit(laptop).headers["Location"].endswith("/questionnaire/summary")
    walk.look("summary", laptop, getting(laptop, "/questionnaire/summary"))
    walk.look("already sent", laptop, getting(laptop, "/questionnaire/about"))
    [confirmation] = emails(app, "confirmation")
    [summary_path] = LINK.findall(confirmation.body)
    phone = spanish_client(app)
    walk.look("summary link", phone, getting(phone, summary_path))
    wrong = posting(phone, summary_path, {"date_of_birth": "1990-01-01"})
    walk.look("summary link, wrong date", phone, wrong, 422)
    walk.look("summary elsewhere", phone, getting(phone, "/questionnaire/summary"), 404)

    problems = walk.problems()
    assert not problems, pprint.pformat(problems, width=100)


def test_every_validation_message_of_a_page_is_in_spanish(app: Flask):
    """Each rule of QUESTIONNAIRE.md broken on its page in Spanish: the message beside the
    field is there, and no catalogue string in it is left in English."""
    catalogue = english_catalogue()
    person = spanish_client(app)
    doc = every_kind_of_example()
    doc["safety"]["suicide_plan_or_intent"] = "no"  # no crisis page in between
    complete_questionnaire(person, doc)
    left = {}
    for case in PAGE_CASES:
        rule = case.values[0]
        response = post_form(
            person, f"/questionnaire/{rule.slug}", page_data(rule.slug, document_for(rule))
        )
        assert response.status_code == 422, case.id
        messages = re.findall(
            r'<p class="error-message"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S
        )
        assert messages, case.id
        english = catalogue_english_on(VisibleText(" ".join(messages)).text, catalogue)
        if english:
            left[case.id] = english
    assert left == {}


def test_a_message_with_numbers_says_them_in_spanish(app: Flask):
    person = spanish_client(app)
    complete_questionnaire(person, base_example())
    typed = page_data("health", base_example()) | {
        "medical-bp_systolic": "300",
        "medical-other_medications_text": "x" * 1001,
    }
    html = post_form(person, "/questionnaire/health", typed).get_data(as_text=True)
    assert "escriba un número entero de 60 a 260" in html
    assert "use 1000 caracteres o menos (usó 1001)" in html
    assert "enter a whole number" not in html and "you used" not in html


def test_the_pcl5_rows_of_the_review_page_stay_english_and_say_so(app: Flask):
    person = spanish_client(app)
    doc = every_kind_of_example()
    doc["safety"]["suicide_plan_or_intent"] = "no"
    doc["symptoms"]["pcl5"] = [0] * 20
    doc["symptoms"]["phq9"][0] = 0
    complete_questionnaire(person, doc)
    page = person.get("/questionnaire/review").get_data(as_text=True)
    first = f"PCL-5 1. {instruments.PCL5.items[0]}"
    assert re.search(rf'<div lang="en"><dt>{re.escape(html_lib.escape(first))}</dt>', page)
    assert "<dd>Not at all</dd>" in page  # the PCL-5's own words, not the PHQ-9's "Ningún día"
    assert "<dt>PHQ-9 1. Poco interés o placer en hacer cosas</dt><dd>Ningún día</dd>" in page


# --- Emails to the patient -------------------------------------------------------------------


def test_the_link_and_reminder_emails_are_in_the_language_of_the_draft(app: Flask):
    person = spanish_client(app)
    doc = base_example()
    for slug in ("start", "about"):
        assert post_form(person, f"/questionnaire/{slug}", page_data(slug, doc)).status_code == 302
    person.get("/language/en?next=/")  # looked at a page in English, saved nothing there
    person.get("/language/es?next=/")
    post_form(person, "/questionnaire/save", {"email": "ana@example.org", "remind": "y"})
    [link] = emails(app, "resume_link")
    [reminder] = emails(app, "resume_reminder")
    assert link.subject == "Su enlace para seguir con el cuestionario de evaluación"
    assert "Abra este enlace en cualquier teléfono" in link.body
    assert re.search(r"hasta el \d{1,2} de [a-z]+ de 20\d\d\.", link.body)
    assert reminder.subject == "Un recordatorio: su cuestionario de evaluación no está terminado"
    assert "Este es el único recordatorio que enviamos." in reminder.body
    catalogue = english_catalogue()
    for email in (link, reminder):
        assert catalogue_english_on(LINK.sub("", email.body), catalogue) == []


def test_switching_language_on_the_save_page_switches_the_email(app: Flask, client: FlaskClient):
    doc = base_example()
    for slug in ("start", "about"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))  # in English
    client.get("/language/es?next=/questionnaire/save")  # and the save form sent in Spanish
    post_form(client, "/questionnaire/save", {"email": "ana@example.org"})
    [link] = emails(app, "resume_link")
    assert link.subject == "Su enlace para seguir con el cuestionario de evaluación"


def test_an_english_draft_gets_its_emails_in_english(app: Flask, client: FlaskClient):
    doc = base_example()
    for slug in ("start", "about"):
        post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
    post_form(client, "/questionnaire/save", {"email": "ana@example.org"})
    [link] = emails(app, "resume_link")
    assert link.subject == "Your link to continue the screening questionnaire"
    assert re.search(r"until \d{1,2} [A-Z][a-z]+ 20\d\d\.", link.body)
