"""The address of each place the questionnaire's flow leads to (questionnaire/flow.py)."""

from __future__ import annotations

from flask import url_for

from ..questionnaire import flow

ENDPOINTS = {
    flow.Elsewhere.CRISIS: "patient.crisis",
    flow.Elsewhere.SAVE_FOR_LATER: "patient.save_for_later",
}


def url_for_place(place: flow.Place) -> str:
    """Where to send the browser for a page of the questionnaire or another place."""
    if isinstance(place, flow.Elsewhere):
        return url_for(ENDPOINTS[place])
    if place is flow.REVIEW:
        return url_for("patient.review")
    return url_for("patient.page", slug=place.slug)


def first_page_url() -> str:
    """The first page: where a browser without answers starts."""
    return url_for_place(flow.FIRST_PAGE)
