"""Public announcements (公示, R20) with their objection period, and objections to them."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from domain.audit.services import audit
from domain.engine import EngineError
from domain.engine.cases import NotWaiting
from domain.fulfilment.announcements import AnnouncementService, RaisedObjection, objections_open
from domain.fulfilment.objections import raise_objection
from webui.context import client_address, resources
from webui.limits import OBJECTIONS_PER_ADDRESS, limiter

bp = Blueprint("announcements", __name__, url_prefix="/announcements")
log = logging.getLogger("huiqi.webui")


@bp.get("")
def index():
    """List the announcements whose objection period is running, then the recent ended ones."""
    now = resources().clock.now()
    with resources().database.session_scope() as session:
        announcements = AnnouncementService(session).recent()
    return render_template("announcements/index.html", announcements=announcements, now=now)


@bp.route("/<int:announcement_id>", methods=["GET", "POST"])
@limiter.limit(OBJECTIONS_PER_ADDRESS, methods=["POST"])
def detail(announcement_id: int):
    """Show an announcement; during its period anyone may raise an objection."""
    now = resources().clock.now()
    with resources().database.session_scope() as session:
        announcement = AnnouncementService(session).get(announcement_id)
    if announcement is None:
        abort(404)
    is_open = objections_open(announcement, now)
    form = {k: request.form.get(k, "").strip() for k in ("name", "contact", "text")}
    if request.method == "POST":
        objection = RaisedObjection(form["name"], form["contact"], form["text"])
        if not is_open:
            flash("公示期已结束，不再受理异议。", "error")
        elif not objection.complete:
            flash("请填写姓名、联系方式和异议内容。", "error")
        else:
            try:  # the case first, with no transaction open; then the record
                raise_objection(
                    resources().database, resources().cases, resources().tasks, announcement, objection
                )
            except NotWaiting as exc:  # our own message: the case takes no objection now
                flash(f"异议暂时无法提交：{exc}", "error")
            except EngineError as exc:  # the engine's address and accounts stay in the log (issue 11)
                log.error("异议未能提交（公示 %s）：%s", announcement.id, exc)
                flash("异议暂时无法提交：系统暂时无法办理，请稍后再试。", "error")
            else:
                with resources().database.session_scope() as session:
                    audit(
                        session,
                        "public",
                        objection.name,
                        "objection.raised",
                        announcement.application_number,
                        client_address(),
                        contact=objection.contact,
                    )
                flash("异议已提交，主管部门将核查处理。", "info")
                return redirect(url_for("announcements.detail", announcement_id=announcement.id))
    return render_template("announcements/detail.html", announcement=announcement, is_open=is_open, form=form)
