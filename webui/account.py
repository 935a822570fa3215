"""Enterprise accounts: sign up with the unified social credit code, log in, log out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from domain.audit.services import audit
from domain.enterprises.errors import EnterpriseError
from domain.enterprises.services import EnterpriseService
from webui.auth import log_in_enterprise, log_out, safe_next
from webui.context import client_address, resources
from webui.limits import (
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURES_PER_ADDRESS,
    SIGN_UPS_PER_ADDRESS,
    account_key,
    failed,
    limiter,
)

bp = Blueprint("account", __name__, url_prefix="/account")
FIELDS = ("credit_code", "name", "contact_name", "phone", "email")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(SIGN_UPS_PER_ADDRESS, methods=["POST"])
def signup():
    """Register an enterprise account."""
    form = {name: request.form.get(name, "").strip() for name in FIELDS}
    if request.method == "POST":
        if request.form.get("password") != request.form.get("password_again"):
            flash("两次输入的密码不一致。", "error")
            return render_template("account/signup.html", form=form), 400
        try:
            with resources().database.session_scope() as session:
                enterprise = EnterpriseService(session).sign_up(
                    form["credit_code"],
                    form["name"],
                    form["contact_name"],
                    form["phone"],
                    form["email"] or None,
                    request.form.get("password", ""),
                )
                audit(
                    session,
                    "enterprise",
                    enterprise.credit_code,
                    "enterprise.signed_up",
                    enterprise.credit_code,
                    client_address(),
                )
                log_in_enterprise(enterprise.id, enterprise.credit_code, enterprise.name)
        except (EnterpriseError, ValueError) as exc:
            flash(str(exc), "error")
            return render_template("account/signup.html", form=form), 400
        flash("注册成功。", "info")
        return redirect(url_for("applications.mine"))
    return render_template("account/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_FAILURES_PER_ACCOUNT, key_func=account_key("credit_code"), deduct_when=failed, methods=["POST"])
@limiter.limit(LOGIN_FAILURES_PER_ADDRESS, deduct_when=failed, methods=["POST"])
def login():
    """Log an enterprise in with its credit code and password."""
    if request.method == "POST":
        credit_code = request.form.get("credit_code", "").strip()
        try:
            with resources().database.session_scope() as session:
                enterprise = EnterpriseService(session).authenticate(credit_code, request.form.get("password", ""))
                audit(
                    session,
                    "enterprise",
                    enterprise.credit_code,
                    "enterprise.logged_in",
                    enterprise.credit_code,
                    client_address(),
                )
                log_in_enterprise(enterprise.id, enterprise.credit_code, enterprise.name)
        except EnterpriseError as exc:
            flash(str(exc), "error")
            return render_template("account/login.html", credit_code=credit_code), 401
        return redirect(safe_next(request.args.get("next"), url_for("applications.mine")))
    return render_template("account/login.html", credit_code="")


@bp.post("/logout")
def logout():
    """Log out."""
    log_out()
    return redirect(url_for("home.index"))
