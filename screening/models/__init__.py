"""Typed SQLAlchemy 2.0 models, one module per concept; every model is importable from here.

- `submissions`: drafts, submissions and their flags, notes, resume and summary links
- `staff`: staff accounts, recovery codes, invitations, the append-only audit log
- `safety`: alerts, call-back requests, contact attempts
- `outbox`: emails waiting for the worker
- `base`: UTC timestamps, check constraints from enums
"""

from __future__ import annotations

from .base import UTCDateTime, one_of, utcnow
from .outbox import OutboxEmail
from .safety import (
    ALERT_LEVELS,
    Alert,
    AlertState,
    CallbackRequest,
    ContactAttempt,
    ContactMethod,
    ContactOutcome,
)
from .staff import AuditEvent, Invitation, RecoveryCode, Role, User
from .submissions import (
    Draft,
    DraftReminder,
    Note,
    ResumeLink,
    ReviewStatus,
    Submission,
    SubmissionFlag,
    SummaryLink,
)

__all__ = [
    "ALERT_LEVELS",
    "Alert",
    "AlertState",
    "AuditEvent",
    "CallbackRequest",
    "ContactAttempt",
    "ContactMethod",
    "ContactOutcome",
    "Draft",
    "DraftReminder",
    "Invitation",
    "Note",
    "OutboxEmail",
    "RecoveryCode",
    "ResumeLink",
    "ReviewStatus",
    "Role",
    "Submission",
    "SubmissionFlag",
    "SummaryLink",
    "UTCDateTime",
    "User",
    "one_of",
    "utcnow",
]
