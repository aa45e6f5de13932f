"""The Nu Html Checker (vnu.jar from npm `vnu-jar`, run by Java) over pages' HTML."""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404: runs the pinned checker from node_modules
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

VNU_JAR = Path(__file__).parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(pages: Iterable[tuple[str, str]], folder: Path) -> list[str]:
    """Every error the checker finds in the pages, given as (where it came from, HTML), and
    every page whose headings do not start with its one h1."""
    pages = list(pages)
    java = shutil.which("java")
    assert java, "Java is missing: make test installs default-jre-headless"
    assert VNU_JAR.is_file(), "vnu.jar is missing: make test runs npm ci in tests/browser"
    origins = {}
    for number, (origin, html) in enumerate(pages):
        path = folder / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        origins[path.name] = origin
    result = subprocess.run(  # nosec B603: fixed arguments, no shell
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always",
         *sorted(str(path) for path in folder.glob("page-*.html"))],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        origin = origins.get(url.rsplit("/", 1)[-1], url)
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{origin} line {line}: {message['message']} [{extract}]")
    for origin, html in pages:
        errors += [f"{origin}: {problem}" for problem in heading_problems(html)]
    return errors


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_problems(html: str) -> list[str]:
    """A page's outline: one h1, before any other heading."""
    parser = _Headings()
    parser.feed(html)
    levels = parser.levels
    if levels.count(1) != 1:
        return [f"{levels.count(1)} h1 headings (one expected)"]
    if levels[0] != 1:
        return [f"an h{levels[0]} comes before the h1"]
    return []
