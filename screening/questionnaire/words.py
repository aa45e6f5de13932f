"""Marking the definition's words for translation without importing Flask.

The definition keeps plain English strings (the FHIR Questionnaire, the clinician's pages and
`evaluate` use them as they are); `N_` only marks a string for `pybabel extract`, and the
patient's pages translate it when they show it (the `translate` filter).
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
