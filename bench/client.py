"""A small HTTP/1.1 client for the load generator: one connection per request, cookies kept.

Gunicorn's sync workers close the connection after every response, so each request opens
its own connection (and says `Connection: close`), and the response ends where the stream
ends. Cheaper than http.client, which matters when client and server share two cores.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_FIELD = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')

Form = list[tuple[str, str]]


class RequestFailed(Exception):
    """A response that a benchmark did not expect, or no response at all."""


@dataclass
class Response:
    """Status, headers (names lower-cased, every value kept) and body of one response."""

    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        """The first value of a header, or "" when there is none."""
        values = self.headers.get(name.lower())
        return values[0] if values else ""


def csrf_token(body: bytes) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_FIELD.search(body)
    if match is None:
        raise RequestFailed("the page has no CSRF token")
    return match.group(1).decode()


def _dechunk(body: bytes) -> bytes:
    parts, position = [], 0
    while True:
        line_end = body.index(b"\r\n", position)
        size = int(body[position:line_end].split(b";")[0], 16)
        if size == 0:
            return b"".join(parts)
        parts.append(body[line_end + 2 : line_end + 2 + size])
        position = line_end + 2 + size + 2


def parse_response(raw: bytes) -> Response:
    """A response as read up to the end of the stream."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise RequestFailed("the response ended before its headers did")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    response = Response(status, headers, body)
    if "chunked" in response.header("transfer-encoding").lower():
        response.body = _dechunk(body)
    elif response.header("content-length"):
        response.body = body[: int(response.header("content-length"))]
    return response


@dataclass
class Client:
    """One browser: a cookie jar and a server address."""

    host: str
    port: int
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: Form | None = None) -> Response:
        """Send one request on a new connection and read the whole response."""
        body = urlencode(form).encode() if form is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "User-Agent: screening-bench",
            "Connection: close",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            with socket.create_connection((self.host, self.port), self.timeout) as sock:
                sock.sendall(message)
                chunks = []
                while chunk := sock.recv(262144):
                    chunks.append(chunk)
        except OSError as error:
            raise RequestFailed(f"{method} {path}: {error.__class__.__name__}") from error
        try:
            response = parse_response(b"".join(chunks))
        except (ValueError, IndexError) as error:  # a malformed response
            raise RequestFailed(f"{method} {path}: unreadable response ({error})") from error
        self._keep_cookies(response.headers.get("set-cookie", []))
        return response

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        # Every attribute but expiry is ignored: a Secure cookie is sent over plain HTTP too,
        # so the app can run with its production settings.
        for line in set_cookies:
            pair, *attributes = line.split(";")
            name, _, value = pair.strip().partition("=")
            expired = any(a.strip().lower() == "max-age=0" for a in attributes)
            if expired or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
