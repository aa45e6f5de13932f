"""Commands: `flask --app screening evaluate` (FLAGS.md)."""

from __future__ import annotations

import functools
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from typing import IO, Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import clinic, rules, services
from .extensions import db
from .models import utcnow
from .questionnaire.schema import OPTIONAL_FOR_EVALUATION
from .questionnaire.validate import normalize, validate


def evaluate_document(doc: Any, as_of: date, thresholds: rules.Thresholds) -> dict[str, Any]:
    """The rules' result for one document, or {"errors": [...]} when it is not valid."""
    doc = normalize(doc)
    problems = validate(doc, as_of, optional_sections=OPTIONAL_FOR_EVALUATION)
    if problems:
        return {"errors": [str(problem) for problem in problems]}
    return rules.evaluate(doc, as_of, thresholds).to_dict()


def _parse_json(text: str) -> tuple[Any, str | None]:
    try:
        return json.loads(text), None
    except (ValueError, RecursionError) as error:
        return None, f"document: is not valid JSON ({error.__class__.__name__})"


def _read(file: IO[str]) -> str:
    try:
        return file.read()
    except UnicodeDecodeError:
        raise click.UsageError("FILE must be UTF-8 text") from None


@click.command("evaluate")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Evaluation date for age (default: today).",
)
@click.option("--jsonl", is_flag=True, help="FILE holds one document per line.")
@with_appcontext
def evaluate_command(file: IO[str], as_of: datetime | None, jsonl: bool) -> None:
    """Validate answer documents and print their flags and scores as JSON."""
    day = as_of.date() if as_of else utcnow().date()
    thresholds = clinic.thresholds()
    text = _read(file)
    if not jsonl:
        doc, error = _parse_json(text)
        result = {"errors": [error]} if error else evaluate_document(doc, day, thresholds)
        if "errors" in result:
            for line in result["errors"]:
                click.echo(line, err=True)
            sys.exit(2)
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    lines = [line for line in text.splitlines() if line.strip()]
    chunks = [lines[i : i + JSONL_CHUNK] for i in range(0, len(lines), JSONL_CHUNK)]
    work = functools.partial(_evaluate_lines, day=day, thresholds=thresholds)
    invalid = False
    if len(chunks) > 1 and (os.cpu_count() or 1) > 1:
        # Documents are independent: spread the chunks over the cores, keeping their order.
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            results = pool.map(work, chunks)
            for chunk_invalid, output in results:
                invalid = invalid or chunk_invalid
                sys.stdout.write(output)
    else:
        for chunk in chunks:
            chunk_invalid, output = work(chunk)
            invalid = invalid or chunk_invalid
            sys.stdout.write(output)
    sys.stdout.flush()
    sys.exit(2 if invalid else 0)


JSONL_CHUNK = 1000


def _evaluate_lines(lines: list[str], day: date, thresholds: rules.Thresholds) -> tuple[bool, str]:
    """One output line per input line: (whether any was invalid, the output text)."""
    invalid = False
    out = []
    for line in lines:
        doc, error = _parse_json(line)
        result = {"errors": [error]} if error else evaluate_document(doc, day, thresholds)
        invalid = invalid or "errors" in result
        out.append(json.dumps(result, ensure_ascii=False))
    return invalid, "\n".join(out) + "\n"


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load about 30 fictional submissions that cover every flag and level."""
    from .demo import demo_created_times, demo_documents

    now = utcnow()
    thresholds = clinic.thresholds()
    documents = demo_documents(now.date())
    times = demo_created_times(len(documents), now)
    for index, (doc, created_at) in enumerate(zip(documents, times, strict=True)):
        services.store_submission(
            doc,
            created_at.date(),
            thresholds,
            submit_key=f"demo-{created_at.timestamp():.0f}-{index}",
            created_at=created_at,
        )
    db.session.commit()
    click.echo(f"Loaded {len(documents)} fictional submissions into the review queue.")


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Delete drafts past DRAFT_TTL_DAYS and reviewed submissions past RETENTION_DAYS."""
    config = current_app.config
    drafts, submissions = services.purge_expired(
        utcnow(), config["DRAFT_TTL_DAYS"], config["RETENTION_DAYS"]
    )
    services.audit(
        "purge_expired", user=None, detail=f"{drafts} drafts, {submissions} submissions deleted"
    )
    db.session.commit()
    click.echo(f"Deleted {drafts} expired drafts and {submissions} reviewed submissions.")


@click.command("rotate-keys")
@with_appcontext
def rotate_keys_command() -> None:
    """Re-encrypt every stored answer, flag and note with the first of ENCRYPTION_KEYS."""
    from .crypto import CANNOT_DECRYPT, rotate

    result = rotate(db.session)
    detail = f"{result.rewritten} values re-encrypted, {len(result.unreadable)} unreadable"
    services.audit("rotate_keys", user=None, detail=detail)
    db.session.commit()
    click.echo(f"Re-encrypted {result.rewritten} values with the newest key.")
    if result.unreadable:
        # Before an old key is dropped: these rows need it (or are lost already).
        for table_name, column_name, row_id in result.unreadable:
            click.echo(f"{table_name}.{column_name} of row {row_id} {CANNOT_DECRYPT}", err=True)
        click.echo(
            f"{len(result.unreadable)} values could not be read: keep the key that wrote them "
            "in ENCRYPTION_KEYS until they are dealt with.",
            err=True,
        )
        sys.exit(1)


def register(app: Flask) -> None:
    """Attach the commands to the app's `flask` command line."""
    from . import accounts_cli, worker_cli

    for command in (
        evaluate_command,
        seed_demo_command,
        purge_expired_command,
        rotate_keys_command,
    ):
        app.cli.add_command(command)
    accounts_cli.register(app)
    worker_cli.register(app)
