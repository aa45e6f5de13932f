"""Flags of FLAGS.md rows 23 to 26: cost, the ride home, the schedule and the service area."""

from __future__ import annotations

from ..questionnaire.words import N_
from .base import (
    Context,
    Found,
    Rule,
    all_said,
    answer_in,
    answers_in,
    ev,
    flag,
    said,
)
from .levels import Level


@flag("cost_concern", ("clinic_policy",), N_("Cost and payment"))
def _cost_concern(doc: dict, ctx: Context) -> Found | None:
    """| cost_concern | info | cost_concern is some or major, or payment = unsure |"""
    found = answers_in(doc, ("practical.cost_concern",), ("some", "major"))
    found += answers_in(doc, ("practical.payment",), ("unsure",))
    return Found(Level.INFO, "Cost or payment concern", all_said(found), found) if found else None


@flag("transport", ("spravato_pi", "clinic_policy"), N_("Getting home after each treatment"))
def _transport(doc: dict, ctx: Context) -> Found | None:
    """| transport | info | has_driver is no or unsure |"""
    title = "Ride home after treatment not confirmed"
    return answer_in(doc, Level.INFO, title, "practical.has_driver", {"no", "unsure"})


@flag("schedule", ("clinic_policy",), N_("The treatment schedule"))
def _schedule(doc: dict, ctx: Context) -> Found | None:
    """| schedule | info | schedule_ok is no or unsure |"""
    title = "Attending the first course of sessions not confirmed"
    return answer_in(doc, Level.INFO, title, "practical.schedule_ok", {"no", "unsure"})


@flag(
    "outside_service_area",
    ("clinic_policy",),
    N_("Where you live and where the clinic offers care"),
)
def _outside_service_area(doc: dict, ctx: Context) -> Found | None:
    """| outside_service_area | info | SERVED_REGIONS is not empty and region is not in it |"""
    served = ctx.thresholds.served_regions
    if not served:
        return None
    region = ev(doc, "about.region")
    if region.value in served:
        return None
    detail = f"{said(region)} ({region.value}); regions served: {', '.join(served)}."
    return Found(Level.INFO, "Lives outside the regions the clinic serves", detail, [region])


RULES: tuple[Rule, ...] = (
    _cost_concern,
    _transport,
    _schedule,
    _outside_service_area,
)
