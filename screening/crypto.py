"""Health information at rest: Fernet encryption with keys from the environment.

ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first. Values are encrypted
with the first key and read with any of them (MultiFernet), so a new key can be put in front
and `flask --app screening rotate-keys` re-encrypts every value with it; then the old key
can be removed.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text, TypeDecorator, column, select, table, update
from sqlalchemy.orm import Session

EXTENSION = "screening.fernet"


def keys_from(raw: str) -> MultiFernet:
    """A MultiFernet of the comma-separated keys (raises ValueError for a malformed key)."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ValueError("ENCRYPTION_KEYS holds no key")
    return MultiFernet([Fernet(key) for key in keys])


def init_app(app: Flask) -> None:
    """Bind the app's keys; every encrypted column of this app uses them."""
    app.extensions[EXTENSION] = keys_from(app.config["ENCRYPTION_KEYS"])


def _fernet() -> MultiFernet:
    return current_app.extensions[EXTENSION]


class Encrypted(TypeDecorator[Any]):
    """A column stored as a Fernet token: JSON documents (`as_json`) or plain text."""

    impl = Text
    cache_ok = True

    def __init__(self, as_json: bool = True) -> None:
        super().__init__()
        self.as_json = as_json

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        plain = json.dumps(value, separators=(",", ":")) if self.as_json else str(value)
        return _fernet().encrypt(plain.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        plain = _fernet().decrypt(value.encode("ascii")).decode()
        return json.loads(plain) if self.as_json else plain


# Every encrypted column: (table, column); each table's primary key is "id".
ENCRYPTED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("draft", "answers"),
    ("submission", "answers"),
    ("submission", "flags"),
    ("note", "body"),
)


def rotate(session: Session, batch: int = 500) -> int:
    """Re-encrypt every stored value with the first key; returns how many were rewritten."""
    fernet = _fernet()
    rewritten = 0
    for table_name, column_name in ENCRYPTED_COLUMNS:
        raw = table(table_name, column("id"), column(column_name, Text))
        last_id = 0
        while True:
            rows = session.execute(
                select(raw.c.id, raw.c[column_name])
                .where(raw.c.id > last_id, raw.c[column_name].is_not(None))
                .order_by(raw.c.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            for row_id, token in rows:
                session.execute(
                    update(raw)
                    .where(raw.c.id == row_id)
                    .values({column_name: fernet.rotate(token.encode("ascii")).decode("ascii")})
                )
                rewritten += 1
            last_id = rows[-1][0]
    return rewritten
