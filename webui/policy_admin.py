"""Policy upkeep by departments (R13): create, edit and publish policies and their guides, versioned."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from domain.audit.services import audit
from domain.organisation import Role, unit_for_group
from domain.policies.catalogue import KIND_TEXT, LEVEL_TEXT
from domain.policies.editor import DraftInvalid, NotYourPolicy, PolicyEditor
from domain.policies.services import PolicyService, TemplateRejected
from webui.auth import current_staff, staff_required
from webui.context import client_address, resources
from webui.uploads import file_content

bp = Blueprint("policy_admin", __name__, url_prefix="/staff/policies")


def department() -> str:
    """The department the member works for (the first, when in several)."""
    groups = current_staff().department_groups()
    wanted = request.values.get("department")
    if wanted in groups:
        return wanted
    if not groups:
        abort(403)
    return groups[0]


def editor(session) -> PolicyEditor:
    return PolicyEditor(session, department(), current_staff().user_id)


@bp.get("")
@staff_required(Role.DEPARTMENT, Role.FINANCE)
def index():
    """The department's policies and drafts."""
    with resources().database.session_scope() as session:
        edit = editor(session)
        return render_template(
            "policy_admin/index.html",
            policies=edit.policies(),
            drafts=edit.drafts(),
            department=unit_for_group(edit.department_group).name,
            kinds=KIND_TEXT,
        )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<code>/edit", methods=["GET", "POST"])
@staff_required(Role.DEPARTMENT, Role.FINANCE)
def edit(code: str | None = None):
    """Edit a policy's draft (a new policy when there is no code)."""
    with resources().database.session_scope() as session:
        edit = editor(session)
        if request.method == "GET":
            try:
                content = edit.draft_for(code or "")
            except NotYourPolicy:
                abort(404)
            return render_template(
                "policy_admin/edit.html", code=code or "", content=content, kinds=KIND_TEXT, levels=LEVEL_TEXT
            )
        target = (code or request.form.get("code", "")).strip().upper()
        content = form_content()
        try:
            edit.save_draft(target, content)
        except NotYourPolicy:
            abort(404)
        except DraftInvalid as exc:
            session.rollback()
            flash(str(exc), "error")
            return render_template(
                "policy_admin/edit.html", code=code or target, content=content, kinds=KIND_TEXT, levels=LEVEL_TEXT
            ), 400
        audit(session, "staff", current_staff().user_id, "policy.draft_saved", target, client_address())
    flash("草稿已保存，发布后对外生效。", "info")
    return redirect(url_for("policy_admin.index"))


@bp.post("/<code>/publish")
@staff_required(Role.DEPARTMENT, Role.FINANCE)
def publish(code: str):
    """Publish the draft as the next version of the guide."""
    with resources().database.session_scope() as session:
        try:
            policy = editor(session).publish(code)
        except NotYourPolicy:
            abort(404)
        except DraftInvalid as exc:
            session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("policy_admin.index"))
        audit(
            session,
            "staff",
            current_staff().user_id,
            "policy.published",
            code,
            client_address(),
            version=policy.version,
        )
        flash(f"已发布《申报指南》第 {policy.version} 版。", "info")
    return redirect(url_for("public.guide", code=code))


@bp.post("/<code>/materials/<material>/template")
@staff_required(Role.DEPARTMENT, Role.FINANCE)
def upload_template(code: str, material: str):
    """Attach a template file (PDF or Word) to a required material."""
    max_bytes = resources().settings.upload_max_bytes
    content = file_content(request.files.get("template"), max_bytes)
    with resources().database.session_scope() as session:
        policies = PolicyService(session)
        item = policies.department_material(code, department(), material)
        if item is None:
            abort(404)
        try:
            policies.attach_template(item, content, max_bytes)
        except TemplateRejected as exc:
            flash(str(exc), "error")
            return redirect(url_for("policy_admin.index"))
        audit(
            session,
            "staff",
            current_staff().user_id,
            "policy.template_uploaded",
            code,
            client_address(),
            material=material,
            sha256=item.template_sha256,
        )
    flash("模板已上传。", "info")
    return redirect(url_for("policy_admin.index"))


def form_content() -> dict:
    form = request.form
    return {
        "name": form.get("name", "").strip(),
        "kind": form.get("kind", ""),
        "level": form.get("level", ""),
        "needs_site_inspection": form.get("needs_site_inspection") == "on",
        "needs_expert_review": form.get("needs_expert_review") == "on",
        "expert_count": int(form.get("expert_count") or 3) if (form.get("expert_count") or "3").isdigit() else 0,
        "application_start": form.get("application_start") or None,
        "application_deadline": form.get("application_deadline") or None,
        "summary": form.get("summary", ""),
        "conditions": form.get("conditions", ""),
        "support_standard": form.get("support_standard", ""),
        "contact": form.get("contact", ""),
        "materials": [line.strip() for line in form.get("materials", "").splitlines() if line.strip()],
    }
