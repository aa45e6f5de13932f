"""Rendered visit-summary PDFs, kept per submission and per printout so a second download of an
unchanged submission costs no rendering.

The key is an HMAC (SECRET_KEY) of the print page's HTML with the stylesheets it uses: anything
that changes the printout (answers, flags, status, reviewer, rules, template, CSS) changes the
HTML or the CSS, so a stale PDF is never served, without anyone having to remember to clear it.
The PDF is encrypted at rest like the answers; deleting a submission deletes its PDF.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .crypto import Encrypted
from .extensions import db

# The sign-out form's token differs per session; it is not printed.
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')


class CachedPdf(db.Model):
    """The last rendered visit-summary PDF of a submission, and the printout it was made from."""

    __tablename__ = "cached_pdf"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    printout_key: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[str] = mapped_column(Encrypted(as_json=False))  # base64 of the PDF's bytes


def printout_key(html: str, stylesheets: list[Path]) -> str:
    """A keyed digest of what the PDF shows: the page and the stylesheets it uses."""
    digest = hmac.new(current_app.secret_key.encode(), digestmod=hashlib.sha256)
    digest.update(CSRF_VALUE.sub(r"\1\2", html).encode())
    for path in stylesheets:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_pdf(submission_id: int, key: str, render: Callable[[], bytes]) -> bytes:
    """The PDF stored for this printout, or a new one rendered, stored (flushed) and returned."""
    stored = db.session.get(CachedPdf, submission_id)
    if stored is not None and stored.printout_key == key:
        return base64.b64decode(stored.pdf)
    pdf = render()
    encoded = base64.b64encode(pdf).decode()
    if stored is not None:
        stored.printout_key, stored.pdf = key, encoded
        db.session.flush()
        return pdf
    try:
        with db.session.begin_nested():  # another download may have stored it meanwhile
            db.session.add(CachedPdf(submission_id=submission_id, printout_key=key, pdf=encoded))
    except IntegrityError:
        pass
    return pdf


def forget(submission_ids: list[int]) -> None:
    """Delete the PDFs of submissions deleted in bulk (SQLite may not cascade)."""
    db.session.execute(delete(CachedPdf).where(CachedPdf.submission_id.in_(submission_ids)))
