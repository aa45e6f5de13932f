"""`flask --app screening evaluate FILE [--as-of YYYY-MM-DD] [--jsonl]` (FLAGS.md).

The command needs the questionnaire, the rules and the clinic's thresholds, nothing of the web
app: it is also a Flask CLI plugin (the `flask.commands` entry point in pyproject.toml), which
`flask` runs without building the app, so a clinic's re-check of 10,000 stored documents does
not first load the database layer, the pages and the task queue. The thresholds then come
from the same settings `create_app` would read (SCREENING_ENV's configuration, from the
environment). Registered on the app too (cli.py), where they come from the app's config.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from datetime import UTC, date, datetime
from typing import IO, Any

import click
import orjson
from flask import has_app_context
from flask.cli import ScriptInfo, prepare_import, with_appcontext

from . import clinic, rules
from .questionnaire.schema import OPTIONAL_FOR_EVALUATION
from .questionnaire.validate import loads_normalized, normalize, validate

# Lines per piece of work for a worker process: small enough that when one core is slower (the
# machine is shared), the other is not left waiting long at the end; large enough that handing
# pieces over costs little.
JSONL_CHUNK = 250


def evaluate_document(doc: Any, as_of: date, thresholds: rules.Thresholds) -> dict[str, Any]:
    """The rules' result for one document, or {"errors": [...]} when it is not valid."""
    return _evaluate_normalized(normalize(doc), as_of, thresholds)


def evaluate_text(text: str, as_of: date, thresholds: rules.Thresholds) -> dict[str, Any]:
    """The result for one document's JSON text, or {"errors": [...]} when it is not valid."""
    try:
        doc = loads_normalized(text)
    except ValueError as error:  # orjson.JSONDecodeError
        return {"errors": [f"document: is not valid JSON ({error.__class__.__name__})"]}
    return _evaluate_normalized(doc, as_of, thresholds)


def _evaluate_normalized(doc: Any, as_of: date, thresholds: rules.Thresholds) -> dict[str, Any]:
    problems = validate(doc, as_of, optional_sections=OPTIONAL_FOR_EVALUATION)
    if problems:
        return {"errors": [str(problem) for problem in problems]}
    return rules.evaluate(doc, as_of, thresholds).to_dict()


def configured_thresholds() -> rules.Thresholds:
    """The clinic's thresholds: the app's, or without an app those create_app would configure."""
    if has_app_context():
        return clinic.thresholds()
    # Run as a plugin: the settings of SCREENING_ENV from the config.py beside the package that
    # --app names, made importable as Flask does when it loads an app. Anything else (no --app,
    # another layout) builds the app after all.
    info = click.get_current_context().ensure_object(ScriptInfo)
    try:
        if info.app_import_path:
            prepare_import(re.split(r":(?![\\/])", info.app_import_path, maxsplit=1)[0])
        from config import CONFIGS
    except ImportError:
        with info.load_app().app_context():
            return clinic.thresholds()
    settings = CONFIGS[os.environ.get("SCREENING_ENV", "development")]
    return rules.Thresholds.from_config(
        {key: getattr(settings, key) for key in dir(settings) if key.isupper()}
    )


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
def evaluate_command(file: IO[str], as_of: datetime | None, jsonl: bool) -> None:
    """Validate answer documents and print their flags and scores as JSON."""
    day = as_of.date() if as_of else datetime.now(UTC).date()
    thresholds = configured_thresholds()
    text = _read(file)
    if not jsonl:
        result = evaluate_text(text, day, thresholds)
        if "errors" in result:
            for line in result["errors"]:
                click.echo(line, err=True)
            sys.exit(2)
        click.echo(orjson.dumps(result))
        return
    lines = [line for line in text.splitlines() if line.strip()]
    chunks = [lines[i : i + JSONL_CHUNK] for i in range(0, len(lines), JSONL_CHUNK)]
    work = functools.partial(_evaluate_lines, day=day, thresholds=thresholds)
    invalid = False
    out = sys.stdout.buffer  # orjson writes UTF-8
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if len(chunks) > 1 and (cores or 1) > 1:
        from concurrent.futures import ProcessPoolExecutor  # only for many documents

        from .rules import flags  # noqa: F401  loaded on first use: now, once, for every worker

        # Documents are independent: spread the chunks over the cores, keeping their order.
        with ProcessPoolExecutor(max_workers=cores) as pool:
            results = pool.map(work, chunks)
            for chunk_invalid, output in results:
                invalid = invalid or chunk_invalid
                out.write(output)
    else:
        for chunk in chunks:
            chunk_invalid, output = work(chunk)
            invalid = invalid or chunk_invalid
            out.write(output)
    out.flush()
    sys.exit(2 if invalid else 0)


def _evaluate_lines(
    lines: list[str], day: date, thresholds: rules.Thresholds
) -> tuple[bool, bytes]:
    """One output line per input line: (whether any was invalid, the output as UTF-8)."""
    invalid = False
    out = []
    for line in lines:
        result = evaluate_text(line, day, thresholds)
        invalid = invalid or "errors" in result
        out.append(orjson.dumps(result))
    return invalid, b"\n".join(out) + b"\n"


# On the app's own command line (`app.cli`, the test runner) the command runs in the app's
# context, so the thresholds are that app's.
app_evaluate_command = click.Command(
    "evaluate",
    callback=with_appcontext(evaluate_command.callback),  # type: ignore[arg-type]
    params=evaluate_command.params,
    help=evaluate_command.help,
)
