"""Browser fixtures: Debian's Chromium driven by Playwright, against a live server that has a
fresh database of its own, with axe-core from npm and a record of every request a page makes.

Without Chromium, Playwright or axe-core the browser tests are skipped; with REQUIRE_BROWSER=1
(CI) they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.browsing import ARTIFACTS, AXE_SOURCE, VISITED_HTML, Browsing
from tests.browser.html_check import html_errors
from tests.browser.report import html_checked
from tests.browser.server import LiveServer

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# No sandbox (we run as root in CI); no GPU, and no calls home: the network here is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") not in ("", "0")


try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # the test modules cannot even be imported without it
    if browser_required():
        raise
    collect_ignore_glob = ["test_*.py"]


def unavailable(reason: str) -> None:
    """Skip the browser tests, or fail them when a browser is required."""
    if browser_required():
        pytest.fail(f"REQUIRE_BROWSER is set: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole run; every test opens fresh contexts in it."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        unavailable(f"Chromium is not at {CHROMIUM}: make test installs Debian's chromium")
    if not AXE_SOURCE.is_file():
        unavailable("axe-core is not installed: make test runs npm ci in tests/browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def valid_html(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the browser tests: every page they opened passes the Nu Html Checker, in one run
    (its Java start-up is the cost)."""
    yield
    if not VISITED_HTML:
        return
    errors = html_errors(VISITED_HTML.values(), tmp_path_factory.mktemp("html"))
    assert not errors, f"Nu Html Checker, {len(VISITED_HTML)} pages:\n" + "\n".join(errors)
    html_checked.append(len(VISITED_HTML))


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server of the app for one test, with its own empty database."""
    server = LiveServer(tmp_path / "browser.db")
    yield server
    server.stop()


@pytest.fixture
def browse(chromium: Any, live_server: LiveServer) -> Iterator[Browsing]:
    """Opens pages on the live server; records requests, CSP reports and script errors."""
    ARTIFACTS.mkdir(exist_ok=True)
    browsing = Browsing(chromium, live_server.url)
    yield browsing
    browsing.close()
