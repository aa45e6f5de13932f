"""What the browser tests measured, shown after every run: how long they took, how many pages
the Nu Html Checker read, the heaviest questionnaire page. Its hooks are in tests/conftest.py,
which pytest-xdist's controller loads too (it never loads tests/browser/conftest.py)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser.browsing import PAGE_WEIGHTS

_durations: list[float] = []
html_checked: list[int] = []
_ran: list[str] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker: hand what the summary shows to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["browser"] = {"html_checked": html_checked, "page_weights": PAGE_WEIGHTS}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """In the xdist controller: what a worker's browser tests measured, for the summary."""
    output = getattr(node, "workeroutput", {}).get("browser", {})
    html_checked.extend(output.get("html_checked", ()))
    PAGE_WEIGHTS.update(output.get("page_weights", {}))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/browser/" not in report.nodeid.replace(os.sep, "/"):
        return
    _durations.append(report.duration)
    if report.when == "call":
        _ran.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _ran:
        return
    terminalreporter.write_sep("-", "browser")
    terminalreporter.write_line(
        f"{len(_ran)} browser tests ran in {sum(_durations):.1f} s (setup and teardown included)"
    )
    if html_checked:
        terminalreporter.write_line(
            f"Nu Html Checker: {html_checked[0]} distinct pages, no error; each starts with its h1"
        )
    if PAGE_WEIGHTS:
        slug, size = max(PAGE_WEIGHTS.items(), key=lambda item: item[1])
        terminalreporter.write_line(
            f"heaviest questionnaire page with its assets: {slug}, {size / 1024:.1f} KB "
            f"transferred (budget 60 KB; {len(PAGE_WEIGHTS)} pages measured)"
        )
