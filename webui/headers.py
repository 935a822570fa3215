"""Security headers on every answer: no script anywhere, no framing, no sniffing, private pages never cached."""

from __future__ import annotations

from flask import Flask, Response, request, session

# The web UI has no JavaScript at all: nothing may run, nothing may frame it, forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
PRIVATE_PREFIXES = ("/my/", "/staff/", "/account/")


def private(path: str) -> bool:
    """A page for one person: under a private prefix, or any page while someone is logged in (issue 11, item 6:
    the apply page, for one, shows the account's phone and e-mail)."""
    return path.startswith(PRIVATE_PREFIXES) or bool(session.get("enterprise") or session.get("staff"))


def secure(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if private(request.path):
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)
