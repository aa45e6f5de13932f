"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238) and recovery codes.

No request handling here; like services.py these add and flush, and the caller commits.
Codes are accepted one step (30 s) either side of now, and each step once: a code seen
before, or one older than the last used, is refused (replay). Recovery codes are ten random
single-use codes, shown once and stored as SHA-256 hashes (they are random, so a fast hash
is enough; a password hash would make checking ten of them slow).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete

from .extensions import db
from .models import RecoveryCode, User

STEPS_EITHER_SIDE = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_HALF = 5


def new_secret() -> str:
    """A random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The link as a QR code in inline SVG markup, drawn on the server (no script, no style).

    The markup is segno's own, of our own link: the template may print it unescaped."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, title="QR code for your authenticator app"
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, last_step: int | None, now: datetime) -> int | None:
    """The time step whose code this is (now ± 1 step, newer than `last_step`), else None."""
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - STEPS_EITHER_SIDE, current + STEPS_EITHER_SIDE + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def verify_code(user: User, code: str, now: datetime) -> bool:
    """Accept the account's current code once; remember its step so it cannot be replayed."""
    if user.totp_secret is None:
        return False
    step = matching_step(user.totp_secret, code, user.totp_last_step, now)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalize_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes replacing any old ones; returned once, stored hashed."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(2 * RECOVERY_HALF))
        codes.append(f"{raw[:RECOVERY_HALF]}-{raw[RECOVERY_HALF:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    """Accept an unused recovery code of the account once."""
    wanted = _hash(_normalize_recovery(code))
    for stored in user.recovery_codes:
        if stored.used_at is None and hmac.compare_digest(stored.code_hash, wanted):
            stored.used_at = now
            db.session.flush()
            return True
    return False


def enable(user: User, secret: str, step: int) -> list[str]:
    """Turn two-factor sign-in on with a confirmed secret; returns the new recovery codes."""
    user.totp_secret = secret
    user.totp_last_step = step
    db.session.flush()
    return new_recovery_codes(user)


def reset(user: User) -> None:
    """Forget the account's device and recovery codes: set up again at the next sign-in."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
    db.session.expire(user, ["recovery_codes"])
