"""Who is using the web UI: an enterprise (by credit code) or a member of staff (by engine login)."""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, session, url_for

from domain.engine.staff import StaffMember
from domain.organisation import Role


def log_in_enterprise(enterprise_id: int, credit_code: str, name: str) -> None:
    session.clear()  # a new session on login: nothing carried over from before
    session["enterprise"] = {"id": enterprise_id, "credit_code": credit_code, "name": name}


def log_in_staff(member: StaffMember) -> None:
    session.clear()
    session["staff"] = {"user_id": member.user_id, "name": member.name, "groups": list(member.groups)}


def log_out() -> None:
    session.clear()


def current_enterprise() -> dict | None:
    return session.get("enterprise")


def current_enterprise_name() -> str | None:
    enterprise = current_enterprise()
    return enterprise["name"] if enterprise else None


def current_staff() -> StaffMember | None:
    data = session.get("staff")
    return StaffMember(data["user_id"], data["name"], tuple(data["groups"])) if data else None


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
    """Only a path on this site, never another site (open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default
