"""Pages opened as people open them, and the checks every page gets: axe-core, same origin,
no blocked content, no script errors, transfer size."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, Route

HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
AXE_SOURCE = HERE / "node_modules" / "axe-core" / "axe.min.js"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PHONE_OPTIONS: dict[str, Any] = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}

# Every WCAG 2.0, 2.1 and 2.2 rule of levels A and AA that axe-core has; no rule is turned off.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RUN_AXE = """tags => axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
}).then(results => results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
})))"""

# Questionnaire page transfer sizes measured in this run, by page (shown in the summary).
PAGE_WEIGHTS: dict[str, int] = {}
# The HTML of every page the browser tests opened, error states included, as the server sent it,
# by digest (one copy of identical pages): the Nu Html Checker reads them all once per session.
VISITED_HTML: dict[str, tuple[str, str]] = {}


class Browsing:
    """Fresh browser contexts on the live server, each request and console message recorded."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.origin = _origin(base_url)
        self.requests: list[str] = []
        self.problems: list[str] = []  # CSP reports, script errors, missing assets
        self._contexts: list[BrowserContext] = []
        self._without_js: list[BrowserContext] = []
        self._axe_source = AXE_SOURCE.read_text()
        self._audit_page: Page | None = None

    # --- pages -----------------------------------------------------------------------------

    def new_page(
        self, viewport: dict[str, int] = DESKTOP, javascript: bool = True, **options: Any
    ) -> Page:
        """A page in a new context (its own cookies and cache), watched for what it loads."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            java_script_enabled=javascript,
            locale="en-US",
            timezone_id="America/Los_Angeles",
            **options,
        )
        context.set_default_timeout(10_000)
        context.on("request", self._record_request)
        context.on("response", self._record_response)
        self._contexts.append(context)
        if not javascript:
            self._without_js.append(context)
        page = context.new_page()
        page.on("console", self._record_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        return page

    def close(self) -> None:
        for context in self._contexts:
            context.close()

    def _record_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _record_response(self, response: Response) -> None:
        # Pages may answer 422 (a form with errors); a stylesheet or script must not fail.
        is_page = response.request.resource_type == "document"
        if response.status >= 400 and not is_page:
            self.problems.append(f"{response.status} for {response.url}")
        redirect = 300 <= response.status < 400
        if is_page and not redirect and "text/html" in response.headers.get("content-type", ""):
            html = response.text()
            digest = hashlib.sha256(html.encode()).hexdigest()
            VISITED_HTML.setdefault(digest, (f"{response.status} {response.url}", html))

    def _record_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"{message.type}: {message.text}")

    # --- checks ----------------------------------------------------------------------------

    def assert_self_contained(self) -> None:
        """No request left the app's origin; the CSP blocked nothing; no script failed; no
        asset was missing."""
        assert self.requests, "no request was recorded"
        elsewhere = [
            url
            for url in self.requests
            if _origin(url) != self.origin and not url.startswith(("data:", "about:"))
        ]
        assert not elsewhere, f"requests left {self.origin}: {elsewhere}"
        assert not self.problems, "\n".join(self.problems)

    def audit(self, page: Page) -> None:
        """axe-core on the page as it is now: zero violations of WCAG 2.x A and AA rules."""
        if page.context in self._without_js:
            violations = self._axe_on_copy(page)
        else:
            violations = self._axe(page)
        assert not violations, f"axe-core on {page.url} ({page.title()}):\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in violations
        )

    def _axe(self, page: Page) -> list[dict[str, Any]]:
        # Evaluated through the DevTools protocol, so the page keeps its CSP (script-src 'self').
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self._axe_source)
        return page.evaluate(RUN_AXE, WCAG_TAGS)

    def _axe_on_copy(self, page: Page) -> list[dict[str, Any]]:
        """A page without JavaScript can run no axe, so axe runs on an exact copy of its
        document, at the same address, with the app's script blocked as it was there."""
        html = page.content()
        audit_page = self._page_for_copies()
        url = page.url.split("#")[0]

        def this_address(address: str) -> bool:
            return address == url

        def serve_copy(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        audit_page.route(this_address, serve_copy)
        try:
            audit_page.goto(url)
            assert "js" not in audit_page.evaluate("document.documentElement.className")
            return self._axe(audit_page)
        finally:
            audit_page.unroute(this_address, serve_copy)

    def _page_for_copies(self) -> Page:
        if self._audit_page is None:
            context = self.browser.new_context(base_url=self.base_url, viewport=DESKTOP)
            context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
            self._contexts.append(context)
            self._audit_page = context.new_page()
        return self._audit_page

    def transfer_size(self, page: Page, url: str) -> int:
        """Bytes a first visit to `url` transfers (HTML, CSS, JS, with headers), in a new
        context that has this page's cookies and an empty cache."""
        context = self.browser.new_context(
            base_url=self.base_url, storage_state=page.context.storage_state()
        )
        finished: list[Request] = []
        context.on("requestfinished", lambda request: finished.append(request))
        try:
            fresh = context.new_page()
            response = fresh.goto(url, wait_until="load")
            assert response is not None and response.ok, f"{url}: {response and response.status}"
            assert fresh.url == f"{self.base_url}{url}", f"{url} went on to {fresh.url}"
            total = 0
            for request in finished:
                sizes = request.sizes()
                total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
            return total
        finally:
            context.close()

    def screenshot(self, page: Page, name: str) -> Path:
        """A full-page picture in tests/browser/artifacts/ for a person to look at."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        page.screenshot(path=path, full_page=True)
        return path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
