"""Security headers on every response (issue: ready for a real clinic)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)
HSTS = "max-age=63072000; includeSubDomains"


# Every response's headers, unless the view set its own: (lower-case name, name, value).
EVERY_RESPONSE = tuple(
    (name.lower(), name, value)
    for name, value in (
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    )
)
# Pages may show answers: no browser or proxy may keep a copy (these replace the view's own).
NEVER_KEPT = (("cache-control", "Cache-Control", "no-store"), ("pragma", "Pragma", "no-cache"))


NEVER_KEPT_KEYS = frozenset(key for key, _, _ in NEVER_KEPT)
HSTS_HEADER = ("Strict-Transport-Security", HSTS)

Headers = list[tuple[str, str]]


def with_security_headers(headers: Headers, *, secure: bool, static: bool) -> Headers:
    """The response's headers with those every response carries, unless it set its own;
    pages (not static files) are never cached (NEVER_KEPT replaces the view's own)."""
    present = {name.lower() for name, _ in headers}
    added = [(name, value) for key, name, value in EVERY_RESPONSE if key not in present]
    if secure and "strict-transport-security" not in present:
        added.append(HSTS_HEADER)
    if not static:
        if not NEVER_KEPT_KEYS.isdisjoint(present):
            headers = [header for header in headers if header[0].lower() not in NEVER_KEPT_KEYS]
        added.extend((name, value) for _, name, value in NEVER_KEPT)
    return headers + added


class SecurityHeaders:
    """WSGI middleware adding the security headers to every response's header list as it is
    sent, error pages included. (As a Flask after-request function, werkzeug's header object
    checked each value again and searched its list per header: 3% of a questionnaire page.)
    Inside ProxyFix, so the scheme is the one the proxy says."""

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        secure = environ.get("wsgi.url_scheme") == "https"
        static = environ.get("PATH_INFO", "").startswith("/static/")

        def start(status: str, headers: Headers, exc_info: Any = None) -> Any:
            headers = with_security_headers(headers, secure=secure, static=static)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def register(app: Flask) -> None:
    """Add the security headers to every response of the app."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
