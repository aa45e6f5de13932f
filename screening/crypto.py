"""Health information at rest: Fernet encryption with keys from the environment.

ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first. Values are encrypted
with the first key and read with any of them (MultiFernet), so a new key can be put in front
and `flask --app screening rotate-keys` re-encrypts every value with it; then the old key
can be removed.
"""

from __future__ import annotations

import json
import logging
from typing import Any, NamedTuple, NoReturn

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import (
    Table,
    Text,
    TypeDecorator,
    column,
    event,
    inspect,
    select,
    table,
    update,
)
from sqlalchemy.orm import Session

EXTENSION = "screening.fernet"
logger = logging.getLogger("screening.crypto")
CANNOT_DECRYPT = "cannot be decrypted with the configured keys"


class UndecryptableError(RuntimeError):
    """A value was used that none of ENCRYPTION_KEYS can decrypt."""


class Undecryptable:
    """Stands for a stored value none of the configured keys can read (its key was dropped).

    Loading it never fails, so one such row cannot take a whole list down; using it (reading
    an item, its length, its truth) raises UndecryptableError, and writing it back is refused.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise UndecryptableError(f"a stored value {CANNOT_DECRYPT}")

    __getitem__ = __iter__ = __len__ = __bool__ = __contains__ = _refuse
    get = keys = values = items = _refuse

    def __repr__(self) -> str:
        return "<undecryptable>"


UNDECRYPTABLE = Undecryptable()


def is_undecryptable(value: Any) -> bool:
    """Whether a loaded value could not be decrypted (a Jinja test too)."""
    return value is UNDECRYPTABLE


def keys_from(raw: str) -> MultiFernet:
    """A MultiFernet of the comma-separated keys (raises ValueError for a malformed key)."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ValueError("ENCRYPTION_KEYS holds no key")
    return MultiFernet([Fernet(key) for key in keys])


def init_app(app: Flask) -> None:
    """Bind the app's keys; every encrypted column of this app uses them."""
    app.extensions[EXTENSION] = keys_from(app.config["ENCRYPTION_KEYS"])
    app.add_template_test(is_undecryptable, "undecryptable")


def _fernet() -> MultiFernet:
    return current_app.extensions[EXTENSION]


def seal(text: str) -> str:
    """Text encrypted with the app's keys, to hold in a cookie the client cannot read."""
    return _fernet().encrypt(text.encode()).decode("ascii")


def unseal(token: Any) -> str | None:
    """The text of a sealed token, or None if it is missing or not one of ours."""
    if not isinstance(token, str):
        return None
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        return None


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
        if value is UNDECRYPTABLE:
            raise UndecryptableError("an undecryptable value cannot be written back")
        plain = json.dumps(value, separators=(",", ":")) if self.as_json else str(value)
        return _fernet().encrypt(plain.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        try:
            plain = _fernet().decrypt(value.encode("ascii")).decode()
        except InvalidToken:
            return UNDECRYPTABLE
        return json.loads(plain) if self.as_json else plain


def _log_undecryptable_value(table_name: str, column_name: str, row_id: Any) -> None:
    """Log which row holds a value no key can read: table, column and id, never content."""
    logger.error("%s.%s of row %s %s", table_name, column_name, row_id, CANNOT_DECRYPT)


@event.listens_for(Session, "loaded_as_persistent")
def _log_undecryptable(session: Session, instance: Any) -> None:
    """Every ORM object loaded: log its values no key can read."""
    state = inspect(instance)
    for attribute in state.mapper.column_attrs:
        if state.dict.get(attribute.key) is UNDECRYPTABLE:
            row_id = state.identity[0] if state.identity else "?"
            _log_undecryptable_value(state.mapper.persist_selectable.name, attribute.key, row_id)


def log_undecryptable_row(source: Table, row: NamedTuple) -> None:
    """The same for a row of columns of the table `source` read without the ORM (by the
    row's own names and values: looking each of the table's columns up in the row's mapping
    cost a fiftieth of a page shown from a draft)."""
    for name, value in zip(row._fields, row, strict=True):
        if value is UNDECRYPTABLE:
            row_id = getattr(row, source.primary_key.columns.values()[0].key, "?")
            _log_undecryptable_value(source.name, name, row_id)


def encrypted_columns() -> list[tuple[str, str, str]]:
    """Every encrypted column of the models, as (table, primary key, column): read from the
    metadata, so a new encrypted column is rotated without being listed anywhere."""
    from .extensions import db

    return [
        (table.name, table.primary_key.columns.values()[0].name, column_.name)
        for table in db.metadata.sorted_tables
        for column_ in table.columns
        if isinstance(column_.type, Encrypted)
    ]


class Rotation(NamedTuple):
    """What rotate-keys did: how many values it rewrote; (table, column, id) it could not read."""

    rewritten: int
    unreadable: list[tuple[str, str, int]]


def rotate(session: Session, batch: int = 500) -> Rotation:
    """Re-encrypt every stored value with the first key; values no key reads are reported."""
    fernet = _fernet()
    rewritten = 0
    unreadable: list[tuple[str, str, int]] = []
    for table_name, key_name, column_name in encrypted_columns():
        raw = table(table_name, column(key_name), column(column_name, Text))
        key = raw.c[key_name]
        last_id = 0
        while True:
            rows = session.execute(
                select(key, raw.c[column_name])
                .where(key > last_id, raw.c[column_name].is_not(None))
                .order_by(key)
                .limit(batch)
            ).all()
            if not rows:
                break
            for row_id, token in rows:
                try:
                    rotated = fernet.rotate(token.encode("ascii")).decode("ascii")
                except InvalidToken:
                    unreadable.append((table_name, column_name, row_id))
                    continue
                session.execute(update(raw).where(key == row_id).values({column_name: rotated}))
                rewritten += 1
            last_id = rows[-1][0]
    return Rotation(rewritten, unreadable)
