"""Enterprise accounts: sign up with the unified social credit code, log in, log out, bind to the enterprise.

Binding (issue 11, item 5; domain/enterprises/binding.py): until an account claims the one-time code the
window hands to the enterprise's legal representative, it sees only what it filed online itself. Claimed
by anyone but the logged-in account of that credit code, the code takes the account over with a new
password. In production (domain/production.py) sign-up itself needs the code.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from domain.audit.services import audit
from domain.enterprises import binding
from domain.enterprises.errors import EnterpriseError
from domain.enterprises.services import EnterpriseService
from domain.production import sign_up_needs_binding_code
from webui.auth import current_enterprise, log_in_enterprise, log_out, record_refusal, safe_next
from webui.context import client_address, resources
from webui.limits import (
    BINDING_CLAIM_FAILURES_PER_ADDRESS,
    BINDING_SCOPE,
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURES_PER_ADDRESS,
    SIGN_UPS_PER_ADDRESS,
    claim_failed,
    credit_code_key,
    failed,
    limiter,
    without_binding_code,
)

bp = Blueprint("account", __name__, url_prefix="/account")
FIELDS = ("credit_code", "name", "contact_name", "phone", "email", "binding_code")
UNBOUND = "尚未绑定企业：仅显示本账户在网上提交的申报。请凭专窗发放的绑定码完成绑定。"


@bp.before_app_request
def _read_account() -> None:
    """Read the logged-in account before any view opens a transaction (SQLite: one writer at a time)."""
    current_enterprise()


@bp.app_context_processor
def _binding_notice():
    account = current_enterprise()
    return {"enterprise_unbound": bool(account) and not account["bound"], "unbound_notice": UNBOUND}


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(SIGN_UPS_PER_ADDRESS, methods=["POST"])
@limiter.shared_limit(
    BINDING_CLAIM_FAILURES_PER_ADDRESS, BINDING_SCOPE, methods=["POST"], deduct_when=claim_failed,
    exempt_when=without_binding_code,
)  # fmt: skip
def signup():
    """Register an enterprise account (in production, with the window's binding code)."""
    form = {name: request.form.get(name, "").strip() for name in FIELDS}
    needs_code = sign_up_needs_binding_code(resources().settings)
    page = dict(form=form, needs_code=needs_code)
    if request.method == "GET":
        return render_template("account/signup.html", **page)
    password = request.form.get("password", "")
    if password != request.form.get("password_again"):
        flash("两次输入的密码不一致。", "error")
        return render_template("account/signup.html", **page), 400
    if needs_code and not form["binding_code"]:
        flash("请填写专窗发放的企业绑定码：凭统一社会信用代码注册须同时绑定企业。", "error")
        return render_template("account/signup.html", **page), 400
    try:
        with resources().database.session_scope() as session:
            if form["binding_code"]:
                details = binding.AccountDetails(
                    form["name"], form["contact_name"], form["phone"], form["email"] or None
                )
                enterprise = binding.claim(
                    session, form["credit_code"], form["binding_code"], dt.datetime.now(dt.UTC), password,
                    details=details, address=client_address(),
                )  # fmt: skip
            else:
                enterprise = EnterpriseService(session).sign_up(
                    form["credit_code"], form["name"], form["contact_name"], form["phone"], form["email"] or None,
                    password,
                )  # fmt: skip
            audit(
                session, "enterprise", enterprise.credit_code, "enterprise.signed_up", enterprise.credit_code,
                client_address(), bound=enterprise.bound,
            )  # fmt: skip
            log_in_enterprise(enterprise.id, enterprise.credit_code, enterprise.name)
    except (EnterpriseError, ValueError) as exc:
        if form["binding_code"]:
            _refused(form["credit_code"], exc)
        flash(str(exc), "error")
        return render_template("account/signup.html", **page), 400
    flash("注册成功，已绑定企业。" if form["binding_code"] else "注册成功。", "info")
    return redirect(url_for("applications.mine"))


@bp.route("/bind", methods=["GET", "POST"])
@limiter.shared_limit(BINDING_CLAIM_FAILURES_PER_ADDRESS, BINDING_SCOPE, methods=["POST"], deduct_when=claim_failed)
def bind():
    """Bind an account to its enterprise with the window's one-time code (taking it over when not logged in)."""
    me = current_enterprise()
    credit_code = request.form.get("credit_code", me["credit_code"] if me else "").strip()
    page = dict(credit_code=credit_code, me=me)
    if request.method == "GET":
        return render_template("account/bind.html", **page)
    password = request.form.get("password", "")
    try:
        if password != request.form.get("password_again", ""):
            raise ValueError("两次输入的密码不一致。")
        with resources().database.session_scope() as session:
            logged_in = EnterpriseService(session).get(me["id"]) if me else None
            account = binding.claim(
                session, credit_code, request.form.get("binding_code", ""), dt.datetime.now(dt.UTC),
                password or None, enterprise=logged_in, address=client_address(),
            )  # fmt: skip
            log_in_enterprise(account.id, account.credit_code, account.name)
    except (EnterpriseError, ValueError) as exc:
        _refused(credit_code, exc)
        flash(str(exc), "error")
        return render_template("account/bind.html", **page), 400
    flash(f"已绑定企业：{account.name}。现在可以查看本企业的全部申报。", "info")
    return redirect(url_for("applications.mine"))


def _refused(credit_code: str, reason: Exception) -> None:
    """Audit a refused claim, in a transaction of its own (the claim's was rolled back)."""
    me = current_enterprise()
    with resources().database.session_scope() as session:
        binding.record_refusal(session, credit_code, reason, me["credit_code"] if me else None, client_address())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_FAILURES_PER_ACCOUNT, key_func=credit_code_key, deduct_when=failed, methods=["POST"])
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
            record_refusal("enterprise.login_refused", credit_code_key().removeprefix("account:"))  # no password
            flash(str(exc), "error")
            return render_template("account/login.html", credit_code=credit_code), 401
        return redirect(safe_next(request.args.get("next"), url_for("applications.mine")))
    return render_template("account/login.html", credit_code="")


@bp.post("/logout")
def logout():
    """Log out."""
    log_out()
    return redirect(url_for("home.index"))
