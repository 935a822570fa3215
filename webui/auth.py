"""Who is using the web UI: an enterprise (by credit code) or a member of staff (by engine login).

An enterprise's session keeps the moment it logged in. Its account is read again once per request: a
session logged in before the account's credentials changed (the binding code's holder took the account
over, domain/enterprises/binding.py) is no longer valid, and whether the account is bound is always fresh.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from domain.audit.services import audit
from domain.db_check import DatabaseGone
from domain.engine import EngineError
from domain.engine.staff import StaffMember
from domain.enterprises.services import EnterpriseService
from domain.enterprises.visibility import Viewer
from domain.organisation import Role
from webui.context import client_address, resources

log = logging.getLogger("huiqi.webui")


def _new_session_id() -> None:
    """Give the logged-in session a new id and drop the old one from the store (session fixation, issue 11):
    an id planted or seen before login never becomes a logged-in session."""
    current_app.session_interface.regenerate(session)  # Flask-Session; only a non-empty session is saved


def log_in_enterprise(enterprise_id: int, credit_code: str, name: str) -> None:
    session.clear()  # a new session on login: nothing carried over from before
    g.pop("enterprise_account", None)
    session["enterprise"] = {
        "id": enterprise_id,
        "credit_code": credit_code,
        "name": name,
        "logged_in_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    _new_session_id()


STAFF_RECHECK = dt.timedelta(minutes=5)  # staff groups are read again from the engine this often


def log_in_staff(member: StaffMember) -> None:
    session.clear()
    _remember(member)
    _new_session_id()


def _remember(member: StaffMember) -> None:
    session["staff"] = {
        "user_id": member.user_id,
        "name": member.name,
        "groups": list(member.groups),
        "checked": dt.datetime.now(dt.UTC).isoformat(),
    }


def log_out() -> None:
    session.clear()
    g.pop("enterprise_account", None)


def current_enterprise() -> dict | None:
    """The logged-in account (id, credit_code, name, bound), read from the database at most once per request.

    None, and the session ended, when the account is gone or its credentials changed after this login.
    """
    if "enterprise_account" in g:
        return g.enterprise_account
    data = session.get("enterprise")
    found = None
    if data:
        with resources().database.session_scope() as db:
            account = EnterpriseService(db).get(data["id"])
            if account is not None and not _stale(data, account.credentials_changed_at):
                found = {"id": account.id, "credit_code": account.credit_code, "name": account.name}
                found["bound"] = account.bound
        if found is None:
            session.clear()
    g.enterprise_account = found
    return found


def _stale(data: dict, credentials_changed_at: dt.datetime | None) -> bool:
    """Whether this session was logged in before the account's credentials changed."""
    if credentials_changed_at is None:
        return False
    logged_in = dt.datetime.fromisoformat(data.get("logged_in_at", "2000-01-01T00:00:00+00:00"))
    return logged_in < credentials_changed_at


def current_viewer() -> Viewer | None:
    """The logged-in account as it reads applications (domain/enterprises/visibility.py)."""
    account = current_enterprise()
    return Viewer(account["credit_code"], account["id"], account["bound"]) if account else None


def current_enterprise_name() -> str | None:
    enterprise = current_enterprise()
    return enterprise["name"] if enterprise else None


def current_staff() -> StaffMember | None:
    """The logged-in member of staff; their groups re-read from the engine every few minutes."""
    data = session.get("staff")
    if not data:
        return None
    checked = dt.datetime.fromisoformat(data.get("checked", "2000-01-01T00:00:00+00:00"))
    if dt.datetime.now(dt.UTC) - checked > STAFF_RECHECK:
        try:
            member = resources().staff_directory.current(data["user_id"])
        except EngineError:
            return StaffMember(data["user_id"], data["name"], tuple(data["groups"]))  # the engine is away: keep
        if member is None:  # no longer staff
            session.clear()
            return None
        _remember(member)
        return member
    return StaffMember(data["user_id"], data["name"], tuple(data["groups"]))


def enterprise_required(view):
    """Only a logged-in enterprise; others go to the login page and come back."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_enterprise() is None:
            return redirect(url_for("account.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def staff_required(*roles: Role):
    """Only staff of one of these roles (any staff when none is named)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            member = current_staff()
            if member is None:
                return redirect(url_for("staff.login", next=request.full_path))
            if roles and not member.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site, never another site (open redirect): no scheme, no host, no backslash,
    no control character, also once percent-decoded."""
    if not target:
        return default
    for candidate in (target, unquote(target)):
        if (
            not candidate.startswith("/")
            or candidate.startswith(("//", "/\\"))
            or "\\" in candidate
            or any(ord(c) < 32 or ord(c) == 127 for c in candidate)
            or urlsplit(candidate).netloc
        ):
            return default
    return target


def record_refusal(action: str, target: str | None = None, **details) -> None:
    """Audit a refused sensitive action (issue 11: every refusal in the audit trail), in a transaction of its
    own: the action's own work, if any, was rolled back. Never pass a password in ``details``.

    The refusal page is shown even when the database is away: the failure to audit is logged instead.
    """
    staff = session.get("staff")
    enterprise = session.get("enterprise")
    if staff:
        kind, actor = "staff", staff["user_id"]
    elif enterprise:
        kind, actor = "enterprise", enterprise["credit_code"]
    else:
        kind, actor = "public", "anonymous"
    try:
        with resources().database.session_scope() as db:
            audit(
                db, kind, actor[:64], action, (target or request.path)[:100], client_address(),
                method=request.method, path=request.path[:200], **details,
            )  # fmt: skip
    except DatabaseGone as exc:  # the database is away (issue 12): the refusal page is still shown
        log.error("未能记录拒绝操作 %s（%s）：%s", action, request.path, type(exc).__name__)
