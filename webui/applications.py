"""An enterprise's applications: apply online (R1, R2), follow progress, supplement, read notices, download."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for

from domain.applications.intake import Filer, NoSupplementAsked
from domain.applications.progress import asks_for_supplement, progress
from domain.applications.submission import ApplicantDetails, ApplicationNotFound, ApplicationService, SubmissionRefused
from domain.audit.services import audit
from domain.documents.services import DocumentService
from domain.engine import EngineError
from domain.engine.cases import NotWaiting
from domain.enterprises.services import EnterpriseService
from domain.notices.letters import letter_pdf
from domain.notices.services import NoticeService
from domain.policies.catalogue import status_of
from domain.policies.errors import PolicyNotFound
from domain.policies.models import PolicyKind
from domain.policies.services import PolicyService
from webui.auth import current_enterprise, current_viewer, enterprise_required
from webui.context import client_address, resources
from webui.limits import SUBMITS_PER_ADDRESS, limiter
from webui.uploads import material_files

bp = Blueprint("applications", __name__)


@bp.route("/policies/<code>/apply", methods=["GET", "POST"])
@limiter.limit(SUBMITS_PER_ADDRESS, methods=["POST"])
@enterprise_required
def apply(code: str):
    """Apply for a policy online with its required materials."""
    me = current_enterprise()
    with resources().database.session_scope() as session:
        try:
            policy = PolicyService(session).get_published(code)
        except PolicyNotFound:
            abort(404)
        account = EnterpriseService(session).get(me["id"])
        form = {
            "contact_name": request.form.get("contact_name", account.contact_name),
            "phone": request.form.get("phone", account.phone),
            "email": request.form.get("email", account.email or ""),
            "summary": request.form.get("summary", ""),
            "payee_bank": request.form.get("payee_bank", ""),
            "payee_account": request.form.get("payee_account", ""),
        }
        page = dict(
            policy=policy,
            form=form,
            funding=policy.kind is PolicyKind.FUNDING,
            open=status_of(policy, resources().clock.today()) == "open",
            enterprise=account,
        )
        if request.method == "GET":
            return render_template("applications/apply.html", token=uuid.uuid4().hex, **page)
        applicant = ApplicantDetails(
            account.credit_code,
            account.name,
            form["contact_name"],
            form["phone"],
            form["email"] or None,
            form["summary"],
            form["payee_bank"] or None,
            form["payee_account"] or None,
        )
    token = request.form.get("token", "")
    try:
        filed = resources().intake.file(
            code,
            applicant,
            token,
            material_files(request.files),
            Filer("online", me["credit_code"], "enterprise", client_address(), enterprise_id=me["id"]),
            published=policy,  # as read above: not read again
        )
    except SubmissionRefused as exc:
        flash(str(exc), "error")
        return render_template("applications/apply.html", token=token, **page), 400
    if not filed.created:
        flash("此申请已提交过，不会重复提交。", "info")
    elif filed.started:
        flash(f"申请已提交，申报编号 {filed.number}。", "info")
    if filed.problem:
        flash(filed.problem, "error")
    return redirect(url_for("applications.detail", number=filed.number))


@bp.get("/my/applications")
@enterprise_required
def mine():
    """List the enterprise's applications."""
    with resources().database.session_scope() as session:
        applications = ApplicationService(session).of_enterprise(current_viewer())
        return render_template("applications/mine.html", applications=applications)


@bp.get("/my/applications/<number>")
@enterprise_required
def detail(number: str):
    """Show one application: progress, notices, documents, and the supplement form when it is asked for."""
    with resources().database.session_scope() as session:
        application = _own(session, number)
        notices = NoticeService(session).for_enterprise(application.process_instance_id, current_viewer())
        documents = DocumentService(session).for_enterprise(application.process_instance_id)
        policy = PolicyService(session).find_published(application.policy_code)
    case = progress(resources().history, application.process_instance_id)  # no transaction open
    waiting = asks_for_supplement(resources().cases, case, application.process_instance_id)
    return render_template(
        "applications/detail.html",
        application=application,
        notices=notices,
        documents=documents,
        policy=policy,
        steps=case.steps,
        outcome=case.outcome,
        waiting=waiting,
        engine_problem=case.problem,
        now=resources().clock.now(),
    )


@bp.post("/my/applications/<number>/start")
@enterprise_required
def retry_start(number: str):
    """Submit again an application that the engine could not take."""
    with resources().database.session_scope() as session:
        _own(session, number)
    started, problem = resources().intake.start_case(number, None, take_over=True)  # an explicit retry
    if started:
        with resources().database.session_scope() as session:
            audit(
                session,
                "enterprise",
                current_enterprise()["credit_code"],
                "application.started",
                number,
                client_address(),
            )
    flash("申请已进入办理流程。" if started else problem, "info" if started else "error")
    return redirect(url_for("applications.detail", number=number))


@bp.post("/my/applications/<number>/supplement")
@enterprise_required
def supplement(number: str):
    """Upload the materials the window or the department asked for (R2, R5)."""
    try:
        resources().intake.supplement(number, current_viewer(), material_files(request.files), client_address())
    except ApplicationNotFound:
        abort(404)
    except (NoSupplementAsked, SubmissionRefused, NotWaiting, EngineError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("applications.detail", number=number))
    flash("补正材料已提交。", "info")
    return redirect(url_for("applications.detail", number=number))


@bp.get("/my/applications/<number>/uploads/<int:upload_id>")
@enterprise_required
def upload_file(number: str, upload_id: int):
    """Download one of the enterprise's own uploads."""
    with resources().database.session_scope() as session:
        application = _own(session, number)
        upload = next((u for u in application.uploads if u.id == upload_id), None)
        if upload is None:
            abort(404)
        path = resources().uploads.path(upload.stored_name)
        return send_file(path, mimetype=upload.content_type, as_attachment=True, download_name=upload.original_name)


@bp.get("/my/applications/<number>/documents/<int:document_id>.pdf")
@enterprise_required
def document_pdf(number: str, document_id: int):
    """Download a recognition document or the result notice of the enterprise's application."""
    with resources().database.session_scope() as session:
        application = _own(session, number)
        document = DocumentService(session).enterprise_pdf(application.process_instance_id, document_id)
    if document is None:
        abort(404)
    return _pdf(document.pdf, f"{document.reference}.pdf")


@bp.get("/my/notices")
@enterprise_required
def inbox():
    """The enterprise's notices inbox: every notice of every application."""
    with resources().database.session_scope() as session:
        notices = NoticeService(session).inbox(current_viewer())
    return render_template("applications/inbox.html", notices=notices)


@bp.get("/my/notices/<int:notice_id>.pdf")
@enterprise_required
def notice_letter(notice_id: int):
    """A notice as a PDF letter."""
    with resources().database.session_scope() as session:
        notice = NoticeService(session).addressed_to(notice_id, current_viewer())
    if notice is None:
        abort(404)
    return _pdf(letter_pdf(notice), f"{notice.application_number}-{notice.kind}.pdf")  # laid out with no transaction


def _own(session, number: str):
    try:
        return ApplicationService(session).get_for(number, current_viewer())
    except ApplicationNotFound:
        abort(404)


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
