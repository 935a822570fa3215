"""The window's pages: walk-in intake on an enterprise's behalf (代办, R1, R16), search over applications, the
materials an enterprise brings to the counter as its supplement (R2, R5), and the one-time binding code handed
to the enterprise's legal representative, printed on the 受理回执 or shown alone (issue 11, item 5;
domain/documents/acceptance_receipt.py, domain/enterprises/binding.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from domain.applications.intake import Filer, NoSupplementAsked
from domain.applications.progress import asks_for_supplement, progress
from domain.applications.submission import ApplicantDetails, ApplicationNotFound, ApplicationService, SubmissionRefused
from domain.documents.acceptance_receipt import Clerk, print_receipt
from domain.engine import EngineError
from domain.engine.cases import NotWaiting
from domain.enterprises import binding
from domain.enterprises.errors import InvalidCreditCode
from domain.enterprises.services import normalise_credit_code
from domain.notices.services import NoticeService
from domain.organisation import Role
from domain.policies.catalogue import CatalogueQuery
from domain.policies.catalogue import search as catalogue_search
from domain.policies.errors import PolicyNotFound
from domain.policies.models import PolicyKind
from domain.policies.services import PolicyService
from webui.auth import current_staff, staff_required
from webui.context import client_address, resources
from webui.uploads import material_files

bp = Blueprint("window", __name__, url_prefix="/staff")
FIELDS = ("credit_code", "enterprise_name", "contact_name", "phone", "email", "summary", "payee_bank", "payee_account")


@bp.route("/intake", methods=["GET", "POST"])
@staff_required(Role.WINDOW)
def intake():
    """File an application at the window on an enterprise's behalf."""
    code = request.values.get("policy", "")
    with resources().database.session_scope() as session:
        today = resources().clock.today()
        policies = catalogue_search(session, CatalogueQuery(status="open"), today, with_materials=True)
        try:
            policy = PolicyService(session).get_published(code) if code else None
        except PolicyNotFound:
            abort(404)
        form = {name: request.form.get(name, "").strip() for name in FIELDS}
        page = dict(
            policies=policies,
            policy=policy,
            form=form,
            funding=policy is not None and policy.kind is PolicyKind.FUNDING,
        )
        if request.method == "GET" or policy is None:
            return render_template("window/intake.html", token=uuid.uuid4().hex, **page)
    token = request.form.get("token", "")
    try:
        credit_code = normalise_credit_code(form["credit_code"])
        if not form["enterprise_name"] or not form["contact_name"] or not form["phone"]:
            raise SubmissionRefused("请填写企业名称、联系人和联系电话。")
        applicant = ApplicantDetails(
            credit_code,
            form["enterprise_name"],
            form["contact_name"],
            form["phone"],
            form["email"] or None,
            form["summary"],
            form["payee_bank"] or None,
            form["payee_account"] or None,
        )
        filed = resources().intake.file(
            code,
            applicant,
            token,
            material_files(request.files),
            Filer("window", current_staff().user_id, "staff", client_address()),
            published=policy,  # as read above: not read again
        )
    except (SubmissionRefused, InvalidCreditCode) as exc:
        flash(str(exc), "error")
        return render_template("window/intake.html", token=token, **page), 400
    flash(f"已代办提交，申报编号 {filed.number}。" if filed.created else "此申请已提交过，不会重复提交。", "info")
    if filed.problem:
        flash(filed.problem, "error")
    return redirect(url_for("window.application", number=filed.number))


@bp.get("/applications")
@staff_required(Role.WINDOW)
def search():
    """Search every application by number, enterprise or policy."""
    text = request.args.get("q", "")
    with resources().database.session_scope() as session:
        return render_template("window/search.html", applications=ApplicationService(session).search(text), q=text)


@bp.get("/applications/<number>")
@staff_required(Role.WINDOW)
def application(number: str):
    """One application as the window sees it, with its progress and, when asked for, the counter's supplement form."""
    with resources().database.session_scope() as session:
        found = ApplicationService(session).by_number(number)
        deliveries = NoticeService(session).deliveries_of_case(found.process_instance_id) if found else []
        policy = PolicyService(session).find_published(found.policy_code) if found else None
    if found is None:
        abort(404)
    case = progress(resources().history, found.process_instance_id)  # no transaction open
    waiting = asks_for_supplement(resources().cases, case, found.process_instance_id)
    return render_template(
        "window/application.html",
        application=found,
        deliveries=deliveries,
        policy=policy,
        waiting=waiting,
        steps=case.steps,
        outcome=case.outcome,
        problem=case.problem,
        now=resources().clock.now(),
    )


@bp.post("/applications/<number>/supplement")
@staff_required(Role.WINDOW)
def counter_supplement(number: str):
    """Record the materials the enterprise brought to the counter: the case goes on as after an online supplement."""
    try:
        round_ = resources().intake.supplement_at_counter(
            number, current_staff().user_id, material_files(request.files), client_address()
        )
    except ApplicationNotFound:
        abort(404)
    except (NoSupplementAsked, SubmissionRefused, NotWaiting, EngineError) as exc:
        flash(f"补正材料未登记：{exc}", "error")
        return redirect(url_for("window.application", number=number))
    flash(f"已登记柜台补正材料（第 {round_} 次补正），案件继续办理。", "info")
    return redirect(url_for("window.application", number=number))


@bp.post("/applications/<number>/binding-code")
@staff_required(Role.WINDOW)
def binding_code(number: str):
    """Issue the enterprise of this application a one-time binding code, shown this once for printing."""
    now = dt.datetime.now(dt.UTC)  # a security moment: real time, never the business date of training
    try:
        with resources().database.session_scope() as session:
            found = ApplicationService(session).by_number(number)
            if found is None:
                abort(404)
            code = binding.issue(session, found.credit_code, current_staff().user_id, now, client_address())
    except InvalidCreditCode as exc:
        flash(f"未生成绑定码：{exc}", "error")
        return redirect(url_for("window.application", number=number))
    page = dict(application=found, code=code, expires_at=now + binding.VALID_FOR, issued_at=now, clerk=current_staff())
    return render_template("window/binding_code.html", **page)  # after the commit: the code shown is the one kept


@bp.post("/applications/<number>/acceptance-receipt")
@staff_required(Role.WINDOW)  # R16: the window's dedicated staff hand over what the window received
def acceptance_receipt(number: str):
    """Print the application's 受理回执 with a fresh one-time binding code: a PDF, the code's only appearance."""
    member = current_staff()
    try:
        receipt = print_receipt(
            resources().database,
            resources().calendar,
            number,
            Clerk(member.user_id, member.name),
            dt.datetime.now(dt.UTC),  # a security moment: real time, never the business date of training
            url_for("account.bind", _external=True),
            client_address(),
        )
    except ApplicationNotFound:
        abort(404)
    except InvalidCreditCode as exc:
        flash(f"未打印受理回执：{exc}", "error")
        return redirect(url_for("window.application", number=number))
    disposition = f"inline; filename=\"{receipt.ascii_filename}\"; filename*=UTF-8''{quote(receipt.filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}  # the code: never kept by a cache
    return Response(receipt.pdf, mimetype="application/pdf", headers=headers)


@bp.get("/deliveries")
@staff_required(Role.WINDOW)
def failed_deliveries():
    """Notices that could not be delivered by e-mail or SMS: the window reaches these enterprises itself."""
    with resources().database.session_scope() as session:
        failed = NoticeService(session).failed_deliveries()
    return render_template("window/deliveries.html", failed=failed)
