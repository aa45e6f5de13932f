"""The running clinic's settings that code needs as objects, read from the app's config."""

from __future__ import annotations

from flask import current_app

from . import rules


def thresholds() -> rules.Thresholds:
    """The clinic's FLAGS.md thresholds, from this app's configuration."""
    return rules.Thresholds.from_config(current_app.config)
