"""Marking the definition's words for translation without importing Flask.

The definition keeps plain English strings (the FHIR Questionnaire, the clinician's pages and
`evaluate` use them as they are); `N_` only marks a string for `pybabel extract`, and the
patient's pages translate it when they show it (the `translate` filter).

Some words have placeholders: the clinic's thresholds ("less than %(weeks)s weeks"), or parts
of an answer (`say`: a medicine trial in a sentence). Such words are `Worded`: they read in
English with the values filled in (pages, review, summaries, FHIR), and remember the marked
string and their own values, so a page can translate both and fill them in again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rules.thresholds import Thresholds

LANGUAGES: tuple[str, ...] = ("en", "es")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Spanish"}


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Worded(str):
    """Words with placeholders: the text as it reads (filled or not), the marked string it came
    from (`template`, the catalogue's msgid) and the values of its own placeholders (words among
    them are translated too); the clinic's values fill the rest."""

    template: str
    values: Mapping[str, object]

    def __new__(
        cls, text: str, template: str | None = None, values: Mapping[str, object] | None = None
    ) -> Worded:
        worded = super().__new__(cls, text)
        worded.template = text if template is None else template
        worded.values = values or {}
        return worded

    def __reduce__(self) -> tuple[object, ...]:
        return (Worded, (str(self), self.template, dict(self.values)))


def N_(text: str) -> str:
    """Mark `text` for translation; it stays English here (`Worded` when it has placeholders)."""
    return Worded(text) if PLACEHOLDER.search(text) else text


def values_for(thresholds: Thresholds) -> dict[str, object]:
    """What the definition's placeholders say for a clinic's thresholds: "weeks" is an adequate
    antidepressant trial, so "too early to tell" means a trial shorter than that (FLAGS.md)."""
    return {"weeks": thresholds.adequate_antidepressant_weeks}


def _default_values() -> Mapping[str, object]:
    from ..rules.thresholds import Thresholds  # the rules import the definition: not at load

    return values_for(Thresholds())


_values_source: Callable[[], Mapping[str, object]] = _default_values


def use_values(source: Callable[[], Mapping[str, object]]) -> None:
    """Where `fill` finds the running clinic's values (the app says so once; by default the
    spec's thresholds)."""
    global _values_source
    _values_source = source


def fill_in(text: str, values: Mapping[str, object] | None = None) -> str:
    """`text` (English or translated) with its placeholders replaced by `values`, else by the
    clinic's values; an unknown placeholder stays as written."""
    known = {**_values_source(), **(values or {})}
    return PLACEHOLDER.sub(lambda m: str(known.get(m[1], m[0])), text)


def fill(text: str) -> str:
    """A definition string as it reads for this clinic; words without placeholders as they are."""
    if not isinstance(text, Worded):
        return text
    return Worded(fill_in(text.template, text.values), text.template, text.values)


def say(template: str, **values: object) -> Worded:
    """Words made of a marked string (`N_`) and values, e.g. say(N_("%(count)s weeks"), count=8):
    English now, translated where a page shows them."""
    return Worded(fill_in(template, values), str(template), values)


def joined(parts: list[str], separator: str) -> Worded:
    """Parts (words or `Worded`) one after another, each translated where a page shows them."""
    template = separator.join(f"%(part{i})s" for i in range(len(parts)))
    return say(template, **{f"part{i}": part for i, part in enumerate(parts)})


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
