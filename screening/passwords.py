"""Which passwords staff may choose: long enough, not common, not their own email's name.

Commonness is zxcvbn's estimate (a maintained port of Dropbox's estimator, shipping its lists
of the most common passwords, names and words, and spotting sequences, repeats, dates and
keyboard patterns). A password must reach MIN_SCORE, zxcvbn's "safely unguessable".
"""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 200  # long passphrases are welcome; past this the estimate takes too long
MIN_SCORE = 3  # zxcvbn 0-4: 3 resists an offline attack on a slow hash
# zxcvbn judges the first characters; a longer password only adds to its strength.
ESTIMATE_CHARACTERS = 64


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password may not be used, in words for the person choosing it; None if fine."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"The password must be at most {MAX_LENGTH} characters long."
    name = email.strip().lower().partition("@")[0]
    if len(name) >= 3 and name in password.lower():
        return "The password must not contain your email address (the part before the @)."
    estimate = zxcvbn(password[:ESTIMATE_CHARACTERS], user_inputs=[email, name, "screening"])
    if estimate["score"] >= MIN_SCORE:
        return None
    warning = estimate["feedback"].get("warning") or ""
    reason = f" ({warning.rstrip('.')})" if warning else ""
    return (
        f"This password is too easy to guess{reason}. Use a longer phrase of several "
        "unrelated words, or a password from a password manager."
    )
