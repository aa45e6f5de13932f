"""Marking the definition's words for translation without importing Flask.

The definition keeps plain English strings (the FHIR Questionnaire, the clinician's pages and
`evaluate` use them as they are); `N_` only marks a string for `pybabel extract`, and the
patient's pages translate it when they show it (the `translate` filter). Words made of parts
(a number, a question's name) are a `Phrase`: English as a string, translated by its parts.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "es")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Spanish"}


def N_(text: str) -> str:
    """Mark `text` for translation; it stays English here."""
    return text


def document_language(doc: object) -> str:
    """The language an answer document was answered in ("en" when it does not say)."""
    if isinstance(doc, dict) and doc.get("language") in LANGUAGES:
        return doc["language"]
    return DEFAULT_LANGUAGE


def with_language(doc: dict, language: str) -> dict:
    """A copy of `doc` that records `language`: the key only when it is not English."""
    copy = {key: value for key, value in doc.items() if key != "language"}
    if language != DEFAULT_LANGUAGE:
        copy["language"] = language
    return copy


class Phrase(str):
    """Words with named placeholders, marked for translation (`Phrase(N_("..."), n=3)`).

    It is the English sentence, filled in, wherever a string is wanted (the clinician's pages,
    `evaluate`, the FHIR export); the patient's pages translate `msgid` and fill in the values,
    translating those that are themselves catalogue words (a question's short name).
    """

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, **params: object) -> Phrase:
        phrase = super().__new__(cls, msgid % params if params else msgid)
        phrase.msgid, phrase.params = msgid, params
        return phrase


class Listing(str):
    """Catalogue words joined into one string ("Anxiety, OCD"); each is translated alone."""

    items: tuple[str, ...]
    separator: str

    def __new__(cls, items: list[str] | tuple[str, ...], separator: str = ", ") -> Listing:
        listing = super().__new__(cls, separator.join(items))
        listing.items, listing.separator = tuple(items), separator
        return listing


class Verbatim(str):
    """Words shown exactly as they are in every language (the PCL-5's items and options)."""
