"""The questionnaire in Spanish (SPANISH.md): choosing the language, the instruments exactly as
published, the PCL-5 optional in Spanish, the language kept and stored, the catalogue complete
(every page scanned for English left: test_spanish_pages.py)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext
from sqlalchemy import select

from screening import fhir
from screening.extensions import db
from screening.models import Draft, Submission
from screening.questionnaire import instruments
from tests.helpers import complete_questionnaire, page_data, post_form, submit, worked_example

ROOT = Path(__file__).parent.parent
CATALOGUE = ROOT / "screening" / "translations" / "es" / "LC_MESSAGES" / "messages.po"

# SPANISH.md section 1, written out here so a slip in the catalogue shows.
INSTRUCTION = (
    "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
    "siguientes problemas?"
)
OPTIONS = ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]
PHQ9_ITEMS = [
    "Poco interés o placer en hacer cosas",
    "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
    "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
    "Se ha sentido cansado(a) o con poca energía",
    "Sin apetito o ha comido en exceso",
    "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted "
    "mismo(a) o con su familia",
    "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico "
    "o ver la televisión",
    "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario "
    "– muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal",
    "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
]
DIFFICULTY = (
    "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas "
    "para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras "
    "personas?"
)
DIFFICULTY_OPTIONS = [
    "No ha sido difícil",
    "Un poco difícil",
    "Muy difícil",
    "Extremadamente difícil",
]
GAD7_ITEMS = [
    "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
    "No ha sido capaz de parar o controlar su preocupación",
    "Se ha preocupado demasiado por motivos diferentes",
    "Ha tenido dificultad para relajarse",
    "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
    "Se ha molestado o irritado fácilmente",
    "Ha tenido miedo de que algo terrible fuera a pasar",
]
PCL5_NOTE = (
    "Esta parte del cuestionario solo está disponible en inglés, porque debe usarse exactamente "
    "como fue publicada. Si prefiere, puede dejarla para hablarla con el clínico."
)


def text_of(page: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def in_spanish(client) -> None:
    response = client.get("/language/es?next=/questionnaire/start")
    assert response.status_code == 302


def ptsd_example() -> dict:
    doc = worked_example()
    doc["conditions"]["suspected"] = ["ptsd"]
    return doc


def test_phq9_and_gad7_in_spanish_are_the_publishers_words_exactly(app):
    with app.test_request_context(), force_locale("es"):
        said = {
            "instruction": [
                gettext(instruments.PHQ9.instruction),
                gettext(instruments.GAD7.instruction),
            ],
            "options": [gettext(label) for _, label in instruments.FREQUENCY_OPTIONS],
            "phq9": [gettext(item) for item in instruments.PHQ9.items],
            "gad7": [gettext(item) for item in instruments.GAD7.items],
            "difficulty": [gettext(instruments.PHQ9_DIFFICULTY_QUESTION)],
            "difficulty_options": [
                gettext(label) for _, label in instruments.PHQ9_DIFFICULTY_OPTIONS
            ],
        }
    assert said == {
        "instruction": [INSTRUCTION, INSTRUCTION],
        "options": OPTIONS,
        "phq9": PHQ9_ITEMS,
        "gad7": GAD7_ITEMS,
        "difficulty": [DIFFICULTY],
        "difficulty_options": DIFFICULTY_OPTIONS,
    }


def test_the_spanish_mood_page_shows_them_and_keeps_the_english_credit_line(client):
    in_spanish(client)
    complete_until(client, worked_example(), "mood")
    page = client.get("/questionnaire/mood").get_data(as_text=True)
    shown = text_of(page)
    for words in [INSTRUCTION, *OPTIONS, *PHQ9_ITEMS, DIFFICULTY, *DIFFICULTY_OPTIONS, *GAD7_ITEMS]:
        assert words in shown
    assert "Little interest or pleasure" not in shown
    assert '<p class="credit" lang="en">Developed by Drs. Robert L. Spitzer' in page


def complete_until(client, doc: dict, stop: str) -> None:
    """Answer pages in order until the page `stop` is next."""
    slug = "start"
    while slug != stop:
        response = post_form(client, f"/questionnaire/{slug}", page_data(slug, doc))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        slug = response.headers["Location"].rsplit("/", 1)[-1]


def test_pcl5_stays_english_with_the_spanish_note(client):
    in_spanish(client)
    complete_until(client, ptsd_example(), "symptoms")
    page = client.get("/questionnaire/symptoms").get_data(as_text=True)
    assert PCL5_NOTE in text_of(page)
    assert re.search(r'<section class="scale" aria-labelledby="[^"]*pcl5[^"]*" lang="en">', page)
    assert instruments.PCL5.instruction in text_of(page)
    assert "Not at all" in text_of(page)  # PCL-5 options, untranslated


def test_worked_example_in_spanish_gives_the_same_flags_and_scores(app, client):
    in_spanish(client)
    complete_questionnaire(client, worked_example())
    response = submit(client)
    assert response.headers["Location"].endswith("/questionnaire/summary")
    with app.app_context():
        [submission] = db.session.scalars(select(Submission))
        assert [(f["id"], f["level"]) for f in submission.flags] == [
            ("off_label", "info"),
            ("cost_concern", "info"),
        ]
        assert submission.scores["phq9"] == {"total": 10, "band": "moderate"}
        assert submission.scores["gad7"] == {"total": 10, "band": "moderate"}
        assert submission.answers["language"] == "es"
        assert {k: v for k, v in submission.answers.items() if k != "language"} == worked_example()
        bundle = fhir.bundle_for(submission)
    assert bundle["entry"][0]["resource"]["language"] == "es"


def test_in_spanish_the_pcl5_may_be_left_and_the_clinician_is_told(app, client, sign_in_as):
    in_spanish(client)
    doc = ptsd_example()
    doc["symptoms"]["pcl5"] = None
    complete_questionnaire(client, doc)
    submit(client)
    with app.app_context():
        [submission] = db.session.scalars(select(Submission))
        assert submission.answers["symptoms"]["pcl5"] is None
        assert submission.scores["pcl5"] is None
        submission_id = submission.id
    sign_in_as("admin")
    page = text_of(client.get(f"/clinician/submissions/{submission_id}").get_data(as_text=True))
    assert "PCL-5 not answered (Spanish questionnaire; English-only scale)" in page
    assert "Language Spanish" in page
    summary = text_of(
        client.get(f"/clinician/submissions/{submission_id}/print").get_data(as_text=True)
    )
    assert "Language Spanish" in summary
    assert "PCL-5 not answered (Spanish questionnaire; English-only scale)" in summary
    queue = client.get("/clinician/").get_data(as_text=True)
    assert '<html lang="en">' in queue
    assert "<td>Spanish</td>" in queue
    [header, row] = client.get("/clinician/export.csv").get_data(as_text=True).splitlines()
    assert dict(zip(header.split(","), row.split(","), strict=True))["language"] == "es"


def test_in_english_the_pcl5_is_still_required(client):
    doc = ptsd_example()
    complete_until(client, doc, "symptoms")
    data = {k: v for k, v in page_data("symptoms", doc).items() if "pcl5" not in k}
    response = post_form(client, "/questionnaire/symptoms", data)
    assert response.status_code == 422


def test_evaluate_accepts_spanish_with_pcl5_null_and_rejects_other_languages(runner, tmp_path):
    import json

    doc = ptsd_example()
    doc["symptoms"]["pcl5"] = None
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    assert runner.invoke(args=["evaluate", str(path)]).exit_code == 2  # English: required
    doc["language"] = "es"
    path.write_text(json.dumps(doc))
    result = runner.invoke(args=["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["scores"]["pcl5"] is None
    doc["language"] = "fr"
    path.write_text(json.dumps(doc))
    result = runner.invoke(args=["evaluate", str(path)])
    assert result.exit_code == 2
    assert 'language: must be "en" or "es"' in result.output


@pytest.mark.parametrize(
    ("accept", "lang"), [("es-US,es;q=0.9", "es"), ("en-US", "en"), ("fr", "en"), (None, "en")]
)
def test_the_first_page_follows_the_browser_and_offers_both_languages(client, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/questionnaire/start", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert ">English</a>" in page and ">Español</a>" in page


def test_switching_language_keeps_every_answer_and_returns_to_the_page(app, client):
    complete_until(client, worked_example(), "conditions")
    with app.app_context():
        before = db.session.scalar(select(Draft)).answers
    response = client.get("/language/es?next=/questionnaire/conditions")
    assert response.headers["Location"] == "/questionnaire/conditions"
    page = client.get("/questionnaire/conditions").get_data(as_text=True)
    assert '<html lang="es">' in page
    with app.app_context():
        assert db.session.scalar(select(Draft)).answers == before
    # A page saved in Spanish records it; back in English, the next save says English.
    response = post_form(
        client, "/questionnaire/conditions", page_data("conditions", worked_example())
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Draft)).answers["language"] == "es"
    client.get("/language/en?next=/questionnaire/conditions")
    post_form(client, "/questionnaire/conditions", page_data("conditions", worked_example()))
    with app.app_context():
        assert "language" not in db.session.scalar(select(Draft)).answers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_switch_goes_back_only_to_this_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_unknown_language_is_not_found(client):
    assert client.get("/language/fr?next=/").status_code == 404


def test_clinician_pages_stay_english(client):
    in_spanish(client)
    page = client.get("/clinician/sign-in").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert ">Español</a>" not in page


def test_crisis_resources_in_spanish_exactly(client):
    in_spanish(client)
    shown = text_of(client.get("/questionnaire/start").get_data(as_text=True))
    for line in (
        "Llame al 988 y oprima 2 para hablar en español (Línea 988 de Prevención del Suicidio y "
        "Crisis), o envíe un mensaje de texto con la palabra AYUDA al 988 .",
        "Envíe AYUDA al 741741 (Crisis Text Line en español).",
        "Llame al 911 si está en peligro inmediato.",
    ):
        assert line.replace(" .", ".") in shown.replace(" .", ".")


def test_the_catalogue_holds_every_marked_string():
    """`make messages-update` was run: what the code marks is what the catalogue translates."""
    method_map = [
        ("screening/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    marked = {
        message
        for _, _, message, *_ in extract_from_dir(
            str(ROOT),
            method_map,
            keywords={"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)},
            directory_filter=lambda path: (
                not Path(path).name.startswith(".") and Path(path).name != "node_modules"
            ),
        )
    }
    marked = {m if isinstance(m, str) else m[0] for m in marked}
    with CATALOGUE.open("rb") as f:
        catalogue = {
            m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f, locale="es") if m.id
        }
    assert sorted(marked - catalogue) == []
