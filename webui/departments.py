"""The departments' people (R14): the joint-meeting office keeps each department's lead section and liaison.

Only the office (its group's role, JOINT_MEETING) lists and edits them; other staff get 403, strangers the
login page. Every form field is checked by the domain service, which names each problem in Chinese and
writes nothing unless all are good; a page opened before someone else's change is refused, not overwritten.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from domain.departments.contacts import (
    ContactChanged,
    ContactDetails,
    ContactInvalid,
    DepartmentContacts,
    UnknownDepartment,
    contact_unit,
)
from domain.departments.models import EMAIL_MAX, LEAD_SECTION_MAX, LIAISON_NAME_MAX
from domain.organisation import Role
from webui.auth import current_staff, staff_required
from webui.context import client_address, resources

bp = Blueprint("departments", __name__, url_prefix="/staff/departments")
OFFICE = Role.JOINT_MEETING
FIELDS = ("lead_section", "liaison_name", "liaison_phone", "liaison_email")
LIMITS = {"lead_section": LEAD_SECTION_MAX, "liaison_name": LIAISON_NAME_MAX, "liaison_email": EMAIL_MAX}
_VERSION = re.compile(r"\d{1,9}", re.ASCII)


@bp.get("")
@staff_required(OFFICE)
def index():
    """Every department with its lead section and liaison, or that none is recorded yet."""
    with resources().database.session_scope() as session:
        return render_template("departments/index.html", rows=DepartmentContacts(session).listing())


@bp.route("/<group_id>", methods=["GET", "POST"])
@staff_required(OFFICE)
def edit(group_id: str):
    """Record or change one department's lead section and liaison."""
    try:
        unit = contact_unit(group_id)
    except UnknownDepartment:
        abort(404)
    if request.method == "GET":
        with resources().database.session_scope() as session:
            contact = DepartmentContacts(session).get(group_id)
            form = {name: getattr(contact, name) for name in FIELDS} if contact else dict.fromkeys(FIELDS, "")
            return _page(unit, form, contact.version if contact else 0)
    form = {name: request.form.get(name, "") for name in FIELDS}
    seen = request.form.get("version", "")
    if not _VERSION.fullmatch(seen):
        flash("页面缺少版本信息或已过期，请重新打开此页后再修改。", "error")
        return _page(unit, form, None), 400
    try:
        with resources().database.session_scope() as session:
            _, changed = DepartmentContacts(session).update(
                group_id, ContactDetails(**form), current_staff().user_id, int(seen), client_address()
            )
    except ContactInvalid as exc:
        for problem in exc.problems:
            flash(problem, "error")
        return _page(unit, form, int(seen)), 400
    except ContactChanged as exc:
        flash(str(exc), "error")
        return redirect(url_for("departments.edit", group_id=group_id), code=303)
    flash(f"已保存{unit.name}的牵头科室与联络员。" if changed else "内容没有变化，未作修改。", "info")
    return redirect(url_for("departments.index"))


def _page(unit, form: dict, version: int | None):
    return render_template("departments/edit.html", unit=unit, form=form, version=version, limits=LIMITS)
