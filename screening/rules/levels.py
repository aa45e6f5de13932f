"""Flag levels (FLAGS.md): one enum for the rules, the queue, the forms, the templates and the
database."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """How soon a clinician should look at a flag; highest first."""

    URGENT = "urgent"
    HIGH = "high"
    REVIEW = "review"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for urgent down to 1 for info; 0 is kept for "no flags"."""
        return len(Level) - list(Level).index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def icon(self) -> str:
        """A shape beside the words, so a level is never told by colour alone."""
        return _ICONS[self]


_ICONS = {Level.URGENT: "‼", Level.HIGH: "▲", Level.REVIEW: "●", Level.INFO: "ℹ"}
LEVELS: tuple[Level, ...] = tuple(Level)  # highest first
LEVEL_RANK: dict[str, int] = {level.value: level.rank for level in Level}
LEVEL_OF_RANK: dict[int, Level] = {level.rank: level for level in Level}
