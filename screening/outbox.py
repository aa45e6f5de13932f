"""Delivering the outbox: claim due rows, send each over SMTP once, mark it sent.

A row is claimed in its own short transaction (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so two
workers never take the same row; SQLite: a conditional UPDATE, as SQLite writes one at a time),
sent, then marked sent in another. A worker killed between sending and marking leaves a claim
that another worker takes again after MAIL_CLAIM_SECONDS: at most one duplicate in that worst
case. A failed send is retried with a doubling delay, never given up.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import or_, select, update

from .extensions import db
from .models import OutboxEmail, utcnow

log = logging.getLogger(__name__)

BATCH = 10
# A claim older than this belongs to a worker that died; it must outlast one batch of sends.
CLAIM_SECONDS = 15 * 60
SMTP_TIMEOUT = 30
MAX_RETRY_SECONDS = 3600
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class MailSettingsError(ValueError):
    """MAIL_* settings that cannot work; the worker refuses to start with them."""


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str
    password: str
    sender: str
    retry_seconds: float
    directory: Path | None  # development without a server: emails are kept here


def _flag(config: Mapping[str, Any], name: str) -> bool:
    value = config.get(name)
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise MailSettingsError(f"{name} must be true or false (or 1 or 0), not {value!r}")


def mail_settings(config: Mapping[str, Any], instance_path: str) -> MailSettings:
    """The MAIL_* settings, checked: a clear MailSettingsError for any that cannot work."""
    server = str(config.get("MAIL_SERVER") or "").strip()
    use_tls, use_ssl = _flag(config, "MAIL_USE_TLS"), _flag(config, "MAIL_USE_SSL")
    if use_tls and use_ssl:
        raise MailSettingsError("MAIL_USE_TLS and MAIL_USE_SSL cannot both be true: choose one")
    raw_port = str(config.get("MAIL_PORT") or "").strip()
    try:
        port = int(raw_port) if raw_port else (465 if use_ssl else 587 if use_tls else 25)
    except ValueError:
        raise MailSettingsError(f"MAIL_PORT must be a number, not {raw_port!r}") from None
    if not 0 < port < 65536:
        raise MailSettingsError(f"MAIL_PORT must be between 1 and 65535, not {port}")
    sender = str(config.get("MAIL_DEFAULT_SENDER") or "").strip()
    if server and "@" not in sender:
        raise MailSettingsError(
            "MAIL_DEFAULT_SENDER must be an email address when MAIL_SERVER is set"
        )
    username, password = config.get("MAIL_USERNAME") or "", config.get("MAIL_PASSWORD") or ""
    if bool(username) != bool(password):
        raise MailSettingsError("MAIL_USERNAME and MAIL_PASSWORD go together: set both or neither")
    directory = None
    if not server:
        directory = Path(config.get("MAIL_DIR") or Path(instance_path) / "mail")
    return MailSettings(
        server=server,
        port=port,
        use_tls=use_tls,
        use_ssl=use_ssl,
        username=username,
        password=password,
        sender=sender or "screening@localhost",
        retry_seconds=float(config.get("MAIL_RETRY_SECONDS", 30)),
        directory=directory,
    )


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...
    def close(self) -> None: ...


class SMTPTransport:
    """One SMTP connection for a batch, opened on the first send."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.use_ssl:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                s.server, s.port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            connection = smtplib.SMTP(s.server, s.port, timeout=SMTP_TIMEOUT)
            if s.use_tls:
                connection.starttls(context=context)
        if s.username:
            connection.login(s.username, s.password)
        return connection

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(message)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


class DirectoryTransport:
    """Development without MAIL_SERVER: print each email and keep it as a .eml file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S}-{message['X-Outbox-Id']}.eml"
        (self.directory / name).write_bytes(bytes(message))
        print(
            f"\n--- email (not sent: no MAIL_SERVER; kept in {self.directory / name}) ---\n"
            f"To: {message['To']}\nSubject: {message['Subject']}\n\n"
            f"{message.get_content()}--- end of email ---\n",
            file=sys.stdout,
            flush=True,
        )

    def close(self) -> None:
        pass


def transport_for(settings: MailSettings) -> Transport:
    if settings.directory is not None:
        return DirectoryTransport(settings.directory)
    return SMTPTransport(settings)


def message_for(row: OutboxEmail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["X-Outbox-Id"] = str(row.id)
    message.set_content(row.body)
    return message


def claim_due(now: datetime, limit: int = BATCH) -> list[OutboxEmail]:
    """Claim up to `limit` due rows for this worker and commit; rows other workers hold are
    skipped."""
    token = secrets.token_hex(16)
    claimable = (
        OutboxEmail.sent_at.is_(None),
        OutboxEmail.next_attempt_at <= now,
        or_(
            OutboxEmail.claimed_at.is_(None),
            OutboxEmail.claimed_at < now - timedelta(seconds=CLAIM_SECONDS),
        ),
    )
    due = select(OutboxEmail.id).where(*claimable).order_by(OutboxEmail.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # The outer conditions are checked again as each row is written: a row another worker
    # claimed in the meantime no longer matches.
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(due.scalar_subquery()), *claimable)
        .values(claim_token=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.claim_token == token).order_by(OutboxEmail.id)
        )
    )


def retry_delay(settings: MailSettings, attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: doubling from MAIL_RETRY_SECONDS, at most an hour."""
    return min(settings.retry_seconds * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    retry_in: float | None = None  # seconds until the earliest failed row is due again


def deliver_due(settings: MailSettings, now: datetime | None = None) -> Delivery:
    """Send every due row, batch by batch, until none is left; failures wait their turn."""
    result = Delivery()
    while True:
        rows = claim_due(now or utcnow())
        if not rows:
            return result
        transport = transport_for(settings)
        try:
            for row in rows:
                _deliver_one(row, transport, settings, result, now)
        finally:
            transport.close()


def _deliver_one(
    row: OutboxEmail,
    transport: Transport,
    settings: MailSettings,
    result: Delivery,
    now: datetime | None,
) -> None:
    try:
        transport.send(message_for(row, settings.sender))
    except (smtplib.SMTPException, OSError) as error:
        row.attempts += 1
        delay = retry_delay(settings, row.attempts)
        row.next_attempt_at = (now or utcnow()) + timedelta(seconds=delay)
        # The error's kind and code only: SMTP replies can quote the address.
        code = getattr(error, "smtp_code", None)
        row.last_error = f"{type(error).__name__}{f' {code}' if code else ''}"[:200]
        row.claim_token = row.claimed_at = None
        db.session.commit()
        log.warning(
            "email %s (%s) not sent: %s; retry in %ss", row.id, row.kind, row.last_error, delay
        )
        result.failed += 1
        result.retry_in = delay if result.retry_in is None else min(result.retry_in, delay)
        if isinstance(transport, SMTPTransport):
            transport.close()  # a fresh connection for the next row
        return
    row.attempts += 1
    row.sent_at = utcnow()
    row.last_error = None
    row.claim_token = None
    db.session.commit()
    log.info("email %s (%s) sent", row.id, row.kind)
    result.sent += 1
