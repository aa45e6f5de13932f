"""HTTP benchmarks under gunicorn (2 workers), each as a ratio to the hello reference:
questionnaire pages, a whole questionnaire, and the clinician queue at two sizes."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from screening import create_app
from screening.clinician.queue import PER_PAGE
from screening.extensions import db
from screening.models import Submission

from .context import Context, memory_line
from .load import LoadResult
from .report import Row, load_row, print_failures, print_row, rate, say
from .scenarios import (
    ClinicianPage,
    DraftPage,
    GetPage,
    Questionnaire,
    questionnaire_fields,
    worked_example,
)
from .seed import seed_clinician, seed_submissions
from .server import Server, app_config, app_environment, upgrade_database

APP = "run:app"


def _show(row: Row, result: LoadResult) -> Row:
    print_row(row)
    print_failures(result)
    return row


def pages(context: Context) -> list[Row]:
    """A questionnaire page GET (first page; a later page from a draft) and whole questionnaires."""
    hello = context.hello()
    fields = questionnaire_fields(worked_example())
    rows = []
    with context.database() as url:
        upgrade_database(url)
        with Server(APP, app_environment(url), context.log("pages")) as server:
            for name, scenario in (
                ("questionnaire GET (first page)", GetPage("/questionnaire/start")),
                ("questionnaire GET (mood page, from a draft)", DraftPage(fields, "mood")),
            ):
                result = context.measure(server, scenario)
                rows.append(_show(load_row(name, result, hello), result))
            result = context.measure(server, Questionnaire(fields))
            per_questionnaire = result.requests / max(result.completed, 1)
            row = load_row(
                "whole questionnaire",
                result,
                hello,
                f"per request; {per_questionnaire:.0f} requests each",
            )
            row = replace(
                row, figure=f"{rate(result.iterations_per_second)} questionnaires/s = {row.figure}"
            )
            rows.append(_show(row, result))
            say(memory_line(server))
    return rows


def queue(context: Context) -> list[Row]:
    """The clinician queue (first page) with each configured number of stored submissions;
    with the largest, also a page deep in the queue."""
    hello = context.hello()
    rows = []
    largest = max(context.settings.queue_sizes)
    for size in context.settings.queue_sizes:
        with context.database() as url:
            upgrade_database(url)
            app = create_app(app_config(url))
            seconds = seed_submissions(app, size)
            email, password = seed_clinician(app)
            with app.app_context():
                stored = db.session.scalar(select(func.count()).select_from(Submission))
                db.engine.dispose()
            say(f"  inserted {stored:,} submissions in {seconds:.1f} s ({size / seconds:,.0f}/s)")
            targets = [(f"clinician queue, {size:,} stored", "/clinician/")]
            if size == largest:
                deep = max(1, size // PER_PAGE // 2)
                targets.append(
                    (f"clinician queue page {deep:,}, {size:,} stored", f"/clinician/?page={deep}")
                )
            with Server(APP, app_environment(url), context.log(f"queue-{size}")) as server:
                for name, path in targets:
                    result = context.measure(server, ClinicianPage(email, password, path))
                    row = load_row(name, result, hello)
                    rows.append(_show(row, result))
                say(memory_line(server))
    return rows
