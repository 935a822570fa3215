"""The staff inbox: notices addressed to the member's groups — follow-up reminders, overdue warnings (R10, R18)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template

from domain.notices.letters import letter_pdf
from domain.notices.services import NoticeService
from webui.auth import current_staff, staff_required
from webui.context import resources

bp = Blueprint("staff_inbox", __name__, url_prefix="/staff")


@bp.get("/inbox")
@staff_required()
def inbox():
    """Every notice addressed to one of the member's groups, newest first; never another group's."""
    member = current_staff()
    with resources().database.session_scope() as session:
        notices = NoticeService(session).staff_inbox(member.groups)
    return render_template("staff/inbox.html", notices=notices)


@bp.get("/inbox/<int:notice_id>.pdf")
@staff_required()
def letter(notice_id: int):
    """A notice of the member's groups as a PDF letter; another group's notice is not found."""
    member = current_staff()
    with resources().database.session_scope() as session:
        notice = NoticeService(session).addressed_to_groups(notice_id, member.groups)
    if notice is None:
        abort(404)
    content = letter_pdf(notice)  # laid out with no transaction open
    filename = quote(f"{notice.application_number}-{notice.kind}.pdf")
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


def inbox_count() -> int:
    """How many notices the logged-in member's groups have (shown on the staff home page)."""
    member = current_staff()
    with resources().database.session_scope() as session:
        return NoticeService(session).staff_inbox_count(member.groups)
