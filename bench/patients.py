"""Many patients at once (50 for 60 s by default), each completing questionnaires back to back.

Passes when the database holds exactly as many submissions as the patients completed, no
response was a 5xx, and no questionnaire failed on the way.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from .context import Context, memory_line
from .load import run_load
from .report import Row, latency, other_load, print_failures, say
from .scenarios import Questionnaire, questionnaire_fields, worked_example
from .server import Server, app_environment, upgrade_database


def _count_submissions(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM submission")).scalar_one()
    finally:
        engine.dispose()


def run(context: Context) -> list[Row]:
    """Completed questionnaires against stored submissions, and 5xx responses."""
    settings = context.settings
    scenario = Questionnaire(questionnaire_fields(worked_example()))
    with context.database() as url:
        upgrade_database(url)
        with Server("run:app", app_environment(url), context.log("patients")) as server:
            result = run_load(
                scenario,
                server.address,
                users=settings.patients,
                processes=settings.processes,
                seconds=settings.patient_seconds,
            )
            memory = memory_line(server)
        stored = _count_submissions(url)
    passed = stored == result.completed and result.server_errors == 0 and result.failed == 0
    minutes = result.seconds / 60
    say(
        f"  {settings.patients} patients for {result.seconds:.0f} s: "
        f"{result.completed:,} questionnaires completed ({result.completed / minutes:,.0f}/min), "
        f"{result.requests:,} requests, {latency(result)}{other_load(result)}"
    )
    say(f"  submissions stored: {stored:,}; questionnaires completed: {result.completed:,}")
    say(f"  5xx responses: {result.server_errors}; questionnaires failed: {result.failed}")
    print_failures(result)
    say(memory)
    verdict = "PASS" if passed else "FAIL"
    say(f"  {verdict}: stored == completed, zero 5xx, no questionnaire failed")
    return [
        Row(
            f"{settings.patients} patients at once, {result.seconds:.0f} s",
            f"{verdict}: {stored:,} stored = {result.completed:,} completed"
            if stored == result.completed
            else f"{verdict}: {stored:,} stored ≠ {result.completed:,} completed",
            f"{result.server_errors} 5xx, {result.failed} failed",
            f"{result.requests_per_second:,.0f} req/s; {latency(result)}{other_load(result)}",
            passed,
            noisy=bool(other_load(result)),
        )
    ]
