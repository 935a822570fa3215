"""Staff log in with their engine account; their groups decide the pages they see."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for

from domain.audit.services import audit
from domain.engine import EngineError
from domain.engine.staff import StaffLoginFailed
from domain.organisation import Role
from webui.auth import current_staff, log_in_staff, log_out, record_refusal, safe_next, staff_required
from webui.context import client_address, resources
from webui.limits import LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, account_key, failed, limiter
from webui.staff_inbox import inbox_count

bp = Blueprint("staff", __name__, url_prefix="/staff")
log = logging.getLogger("huiqi.webui")
# What people read when the engine cannot be asked: never its address or account names (issue 11).
UNAVAILABLE = "系统暂时无法办理，请稍后再试。"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_FAILURES_PER_ACCOUNT, key_func=account_key("user_id"), deduct_when=failed, methods=["POST"])
@limiter.limit(LOGIN_FAILURES_PER_ADDRESS, deduct_when=failed, methods=["POST"])
def login():
    """Log a member of staff in against the engine's identity."""
    if request.method == "POST":
        user_id = request.form.get("user_id", "").strip()
        try:
            member = resources().staff_directory.login(user_id, request.form.get("password", ""))
        except StaffLoginFailed as exc:
            record_refusal("staff.login_refused", user_id.lower()[:64])  # the id tried, never the password
            flash(str(exc), "error")
            return render_template("staff/login.html", user_id=user_id), 401
        except EngineError as exc:
            log.error("工作人员登录时流程引擎不可用：%s", exc)  # the detail for the operator only
            flash(f"暂时无法登录：{UNAVAILABLE}", "error")
            return render_template("staff/login.html", user_id=user_id), 503
        log_in_staff(member)
        with resources().database.session_scope() as session:
            audit(session, "staff", member.user_id, "staff.logged_in", member.user_id, client_address())
        return redirect(safe_next(request.args.get("next"), url_for("staff.index")))
    return render_template("staff/login.html", user_id="")


@bp.post("/logout")
def logout():
    """Log out."""
    log_out()
    return redirect(url_for("home.index"))


@bp.get("/")
@staff_required()
def index():
    """The pages this member's groups may use."""
    member = current_staff()
    return render_template(
        "staff/index.html",
        member=member,
        is_window=member.has_role(Role.WINDOW),
        is_department=member.has_role(Role.DEPARTMENT, Role.FINANCE),
        is_overseer=member.has_role(Role.MANAGER, Role.JOINT_MEETING),
        is_office=member.has_role(Role.JOINT_MEETING),  # R14: keeps the departments' lead sections and liaisons
        inbox_count=inbox_count(),  # R10, R18: notices addressed to the member's groups
    )
