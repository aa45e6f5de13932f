"""The running clinic's settings that code needs as objects, read from the app's config."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, has_app_context

from . import rules
from .questionnaire.words import values_for


def thresholds() -> rules.Thresholds:
    """The clinic's FLAGS.md thresholds, from this app's configuration."""
    return rules.Thresholds.from_config(current_app.config)


def placeholder_values() -> Mapping[str, object]:
    """What the questionnaire's placeholders say ("%(weeks)s"): this clinic's thresholds in an
    app, the spec's defaults outside one."""
    return values_for(thresholds() if has_app_context() else rules.Thresholds())
