"""Identifiers the FHIR export gives answers: our own code systems and LOINC. No Flask."""

from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from .instruments import Instrument

LOINC = "http://loinc.org"
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:ketamine-screening")


def urn(name: str) -> str:
    """A stable URN for one of our own identifiers, the same in every deployment."""
    return f"urn:uuid:{uuid5(_NAMESPACE, name)}"


# One code system for every answer choice; a code means something only with its linkId.
ANSWER_SYSTEM = urn("answer-codes")


def coding(value: str, display: str) -> dict[str, str]:
    """An answer choice as a FHIR Coding."""
    return {"system": ANSWER_SYSTEM, "code": value, "display": display}


def scale_coding(instrument: Instrument, score: int) -> dict[str, str]:
    """An item score as a coding: the LOINC answer code where the instrument has them."""
    display = instrument.option_label(score)
    if instrument.loinc_answers:
        return {"system": LOINC, "code": instrument.loinc_answers[score], "display": display}
    return {"system": ANSWER_SYSTEM, "code": str(score), "display": display}
