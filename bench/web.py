"""HTTP benchmarks under gunicorn (2 workers), each as a ratio to the hello reference:
questionnaire pages, a whole questionnaire, and the clinician queue at two sizes."""

from __future__ import annotations

import contextlib
import os
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import func, select

from screening import create_app
from screening.clinician.queue import PER_PAGE, QUEUE_ORDER
from screening.extensions import db
from screening.models import Submission

from .context import Context, memory_line
from .load import LoadResult
from .report import Row, load_row, print_failures, print_row, rate, say
from .scenarios import (
    ClinicianPage,
    Cookies,
    DraftPage,
    GetPage,
    Questionnaire,
    clinician_cookies,
    questionnaire_fields,
    worked_example,
)
from .seed import seed_clinician, seed_submissions
from .server import Server, app_config, app_environment, upgrade_database

APP = "run:app"
T = TypeVar("T")


def _show(row: Row, result: LoadResult) -> Row:
    print_row(row)
    print_failures(result)
    return row


def _per_second(result: LoadResult) -> float:
    return result.requests_per_second


def _share(pair: tuple[LoadResult, LoadResult]) -> float:
    """A (result, its hello) pair's ratio of request rates."""
    result, hello = pair
    return result.requests_per_second / hello.requests_per_second


def _median(results: list[T], key: Callable[[T], float]) -> T:
    """The result whose `key` is the median (the lower of the two middle ones)."""
    return sorted(results, key=key)[(len(results) - 1) // 2]


def pages(context: Context) -> list[Row]:
    """A questionnaire page GET (first page; a later page from a draft), taking turns with
    hello, and whole questionnaires.

    Hello and the pages take turns (BENCH_ROUNDS), and each page's ratio is to hello measured
    just before and just after the round's pages, taken together: the shared machine's speed
    drifts by a third within minutes (hello alone measured 2,300 and 3,300 req/s in two runs of
    the same code). With one reference measured at the start, the same page came out 0.21× in
    one run and 0.41× in the next; with hello measured only before the pages, one run's rounds
    gave the mood page 0.33×, 0.56× and 0.31×.
    """
    turns = context.settings.rounds
    fields = questionnaire_fields(worked_example())
    targets = (
        ("questionnaire GET (first page)", GetPage("/questionnaire/start")),
        ("questionnaire GET (mood page, from a draft)", DraftPage(fields, "mood")),
    )
    rows: list[Row] = []
    with context.database() as url:
        upgrade_database(url)
        with (
            context.hello_server() as hello_server,
            Server(APP, app_environment(url), context.log("pages")) as server,
        ):
            rounds: list[tuple[LoadResult, list[LoadResult]]] = []
            before = context.measure(hello_server, GetPage("/"))
            for turn in range(1, turns + 1):
                results = [context.measure(server, scenario) for _, scenario in targets]
                after = context.measure(hello_server, GetPage("/"))
                hello = before.then(after)  # on both sides of the round's pages
                rounds.append((hello, results))
                before = after
                shown = "; ".join(
                    f"{name.removeprefix('questionnaire GET ')} {_share((result, hello)):.2f}×"
                    for (name, _), result in zip(targets, results, strict=True)
                )
                say(f"  round {turn} of {turns}: hello {rate(_per_second(hello))} req/s; {shown}")
            hellos = [hello for hello, _ in rounds]
            hello = _median(hellos, _per_second)
            rates = [_per_second(each) for each in hellos]
            spread = f"(median of {turns} rounds, {rate(min(rates))}–{rate(max(rates))} req/s)"
            context.keep_hello(hello, spread)
            for index, (name, _) in enumerate(targets):
                pairs = [(results[index], its_hello) for its_hello, results in rounds]
                shares = [_share(pair) for pair in pairs]
                result, its_hello = _median(pairs, _share)
                row = load_row(name, result, its_hello)
                spread = f"median of {turns} rounds, {min(shares):.2f}–{max(shares):.2f}×"
                versus = f"{row.versus} ({spread}), target ≥ 0.35×"
                rows.append(_show(replace(row, versus=versus), result))
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


DEEP_PAGE = 2_000  # the "page 2,000": deep enough that OFFSET would show


def _id_at(offset: int) -> int | None:
    """The id of the row at `offset` in queue order: the last row of the page before a page
    carries it in its "Next page" link, the first row of the page after in "Previous page"."""
    ordered = select(Submission.id).order_by(*QUEUE_ORDER)
    return db.session.scalar(ordered.offset(offset).limit(1))


def _deep_page(size: int, largest: int) -> int:
    """Page 2,000 at the largest size (if it has fewer pages, the one before its last: a page
    after it gives the "Previous page" link); with fewer stored, the page at the same place in
    the queue (with 1,000 against 100,000: page 20 of 40), so that both show rows of the same
    levels and differ only in how many rows come before."""
    deepest = min(DEEP_PAGE, largest // PER_PAGE - 1)
    return max(2, min(size // PER_PAGE - 1, round(deepest * size / largest)))


@dataclass(frozen=True)
class _QueueSite:
    """A server over a database of `size` submissions, signed in, and the pages to load."""

    size: int
    deep: int  # the page standing for page 2,000 (_deep_page)
    server: Server
    cookies: Cookies
    paths: dict[str, str]  # what is measured -> its address

    def shown(self, which: str) -> str:
        """The summary's name of a page: with fewer stored, its stand-in page's number."""
        name = which.replace(f"{DEEP_PAGE:,}", f"{self.deep:,}")
        return f"clinician queue {name}, {self.size:,} stored"


@contextlib.contextmanager
def _queue_site(
    context: Context, size: int, largest: int, database_url: str | None
) -> Iterator[_QueueSite]:
    """The queue's first page and a deep page (page 2,000 at the largest size, by its number,
    its "Next page" link and its "Previous page" link) with `size` submissions stored."""
    with context.database(database_url) as url:
        upgrade_database(url)
        app = create_app(app_config(url))
        seconds = seed_submissions(app, size)
        clinician = seed_clinician(app)
        deep = _deep_page(size, largest)
        with app.app_context():
            stored = db.session.scalar(select(func.count()).select_from(Submission))
            after, before = _id_at((deep - 1) * PER_PAGE - 1), _id_at(deep * PER_PAGE)
            db.engine.dispose()
        if after is None or before is None:
            raise RuntimeError(f"{size:,} stored: page {deep} needs a page before and after it")
        say(f"  inserted {stored:,} submissions in {seconds:.1f} s ({size / seconds:,.0f}/s)")
        paths = {
            "first page": "/clinician/",
            f"page {DEEP_PAGE:,}": f"/clinician/?page={deep}",
            f"page {DEEP_PAGE:,} by its Next link": f"/clinician/?page={deep}&after={after}",
            f"page {DEEP_PAGE:,} by its Previous link": f"/clinician/?page={deep}&before={before}",
        }
        with Server(APP, app_environment(url), context.log(f"queue-{size}")) as server:
            cookies = clinician_cookies(server.address, *clinician)
            yield _QueueSite(size, deep, server, cookies, paths)
            say(memory_line(server))


def _latency(result: LoadResult) -> float:
    return statistics.median(result.latencies_ms)


def _times(pair: tuple[LoadResult, LoadResult]) -> float:
    """The median latency with many stored over that with few, for a (few, many) pair."""
    small, large = pair
    return _latency(large) / _latency(small)


def _queue_scaling(
    context: Context,
    sizes: tuple[int, ...],
    label: str,
    target: float,
    database_url: str | None = None,
) -> list[Row]:
    """The queue's pages with each number stored; with two sizes, the largest against the
    smallest, measured in turns (`BENCH_ROUNDS`): each page with few stored, then with many,
    so that both figures of a ratio come from the same minute of the shared machine."""
    hello = context.hello()
    small_size, large_size = min(sizes), max(sizes)
    turns = context.settings.rounds if large_size > small_size else 1
    with contextlib.ExitStack() as stack:
        sites = [
            stack.enter_context(_queue_site(context, size, large_size, database_url))
            for size in sorted(set(sizes))
        ]
        small, large = sites[0], sites[-1]
        rounds: list[dict[str, list[LoadResult]]] = []
        for turn in range(1, turns + 1):
            measured = {
                which: [
                    context.measure(site.server, ClinicianPage(site.cookies, site.paths[which]))
                    for site in sites
                ]
                for which in small.paths
            }
            rounds.append(measured)
            if turns > 1:
                shown = "; ".join(
                    f"{which} {_times((each[0], each[-1])):.2f}x"
                    for which, each in measured.items()
                )
                say(f"  round {turn} of {turns} ({large_size:,} / {small_size:,}): {shown}")
    rows, scaling = [], []
    for which in small.paths:
        ratios = [_times((each[which][0], each[which][-1])) for each in rounds]
        middle = _median(list(range(turns)), ratios.__getitem__)
        for site, result in zip(sites, rounds[middle][which], strict=True):
            rows.append(_show(load_row(site.shown(which), result, hello), result))
        if large is small:
            continue
        base, result = rounds[middle][which][0], rounds[middle][which][-1]
        spread = (
            f" (median of {turns} rounds, {min(ratios):.2f}–{max(ratios):.2f}x)"
            if turns > 1
            else ""
        )
        scaling.append(
            Row(
                f"queue {which}: latency at {label} / at {small_size:,}",
                f"{_times((base, result)):.2f}x",
                f"target <= {target}x{spread}",
                f"p50 {_latency(result):.1f} ms vs {_latency(base):.1f} ms",
                noisy=result.other_cores >= 0.1 or base.other_cores >= 0.1,
            )
        )
    for row in scaling:
        print_row(row)
    return rows + scaling


def queue(context: Context) -> list[Row]:
    """The clinician queue, first page and page 2,000, with each configured number of stored
    submissions, and how latency grows from 1,000 stored (target: at most 1.3x at 100,000)."""
    sizes = context.settings.queue_sizes
    return _queue_scaling(context, sizes, f"{max(sizes):,}", 1.3)


def queue_million(context: Context) -> list[Row]:
    """The queue with 1,000,000 submissions on PostgreSQL against 1,000 (target: 1.5x)."""
    server_url = os.environ.get("BENCH_DATABASE_URL")
    if not server_url:
        say(
            "  skipped: set BENCH_DATABASE_URL to a PostgreSQL server to run the queue at 1,000,000"
        )
        return []
    million = context.settings.million
    return _queue_scaling(context, (1_000, million), f"{million:,} (PostgreSQL)", 1.5, server_url)
