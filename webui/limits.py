"""Abuse limits (Flask-Limiter): failed logins per account and per address, sign-ups, applications, objections,
failed binding-code claims per address.

Failed staff logins are stopped here, long before the engine's own throttling: the web UI never lets
anyone lock a member of staff (or a service account) out of the engine. Only failures count for the
login limits, so people who type their password right are never held up.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from flask import Flask, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from domain.enterprises.errors import EnterpriseError
from domain.enterprises.services import normalise_credit_code

limiter = Limiter(key_func=get_remote_address)

LOGIN_FAILURES_PER_ACCOUNT = "5 per 15 minutes"
LOGIN_FAILURES_PER_ADDRESS = "30 per 15 minutes"
SIGN_UPS_PER_ADDRESS = "20 per hour"
SUBMITS_PER_ADDRESS = "60 per hour"  # applications, supplements and resubmits (each its own count)
OBJECTIONS_PER_ADDRESS = "20 per hour"
# Refused binding-code claims (/account/bind and a sign-up carrying a code) share one budget per address. Only
# the address counts: a limit per credit code would let anyone lock the real enterprise out of its own code.
BINDING_CLAIM_FAILURES_PER_ADDRESS = "5 per 15 minutes"
BINDING_SCOPE = "binding-claims"


def failed(response) -> bool:
    """Count a login attempt only when it failed."""
    return response.status_code == 401


def claim_failed(response) -> bool:
    """Count a binding-code claim only when it was refused (the form shown again)."""
    return response.status_code == 400


def without_binding_code() -> bool:
    """A sign-up with no binding code is no claim (exempt from the claims' limit)."""
    return not request.form.get("binding_code", "").strip()


def account_key(field: str):
    """Key a limit by the account named in the form (lower-cased, trimmed), whatever the address."""

    def key() -> str:
        return f"account:{request.form.get(field, '').strip().lower()[:64]}"

    return key


def credit_code_key() -> str:
    """Key the enterprise login limit by the normalised credit code (issue 11, gap A): "9135 0100-…" and
    "91350100…" are one account, so a new spelling earns no new allowance."""
    raw = request.form.get("credit_code", "")
    try:
        code = normalise_credit_code(raw)
    except EnterpriseError:  # not a valid code: still fold spaces, hyphens and case
        code = re.sub(r"[\s\-]", "", raw).upper()
    return f"account:{code[:64]}"


# Views of other modules that count against the submits budget too (issue 11, item 7): a supplement and a
# resubmit each carry files or start a case. Wrapped once per process: the limiter keeps its limits globally.
SUBMIT_ENDPOINTS = ("applications.supplement", "applications.retry_start")
_limited_views: dict[str, Callable] = {}


def limit_submits(app: Flask) -> None:
    """Put SUBMITS_PER_ADDRESS on the supplement and resubmit views (call after registering blueprints)."""
    for endpoint in SUBMIT_ENDPOINTS:
        if endpoint not in _limited_views:
            limit = limiter.limit(SUBMITS_PER_ADDRESS, methods=["POST"])
            _limited_views[endpoint] = limit(app.view_functions[endpoint])
        app.view_functions[endpoint] = _limited_views[endpoint]


def init_app(app: Flask, storage_uri: str) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    limiter.init_app(app)

    @app.errorhandler(429)
    def too_many(error):
        from webui.auth import record_refusal  # late: webui.auth reads the logged-in user

        if _first_refusal_in_a_while(get_remote_address() or "?", request.path):
            record_refusal("request.rate_limited", limit=str(getattr(error, "description", "")))
        message = "操作过于频繁，请稍后再试。如需帮助，请联系县行政服务中心惠企政策兑现专窗。"
        return render_template("errors/error.html", code=429, message=message), 429


AUDIT_429_EVERY = 60.0  # seconds: a flood of refused requests is audited once a minute per address and page
_audited_429: dict[tuple[str, str], float] = {}
_audited_lock = threading.Lock()


def _first_refusal_in_a_while(address: str, path: str) -> bool:
    """Whether this refusal goes into the audit trail: the first of each address and page in a minute, so that a
    flood the limit refuses does not become a flood of audit writes (kept per process; at most 10,000 keys)."""
    now = time.monotonic()
    with _audited_lock:
        if len(_audited_429) > 10_000:
            _audited_429.clear()
        last = _audited_429.get((address, path))
        if last is not None and now - last < AUDIT_429_EVERY:
            return False
        _audited_429[(address, path)] = now
        return True
