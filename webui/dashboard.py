"""The timeliness dashboard for managers and the joint-meeting office (R17, R18), with CSV export."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, render_template, request

from domain.engine import EngineError
from domain.engine.figures import FiguresReader
from domain.organisation import Role
from domain.timeliness.dashboard import Dashboard, DashboardBuilder
from webui.auth import staff_required
from webui.context import resources

bp = Blueprint("dashboard", __name__, url_prefix="/staff/dashboard")


def build(month: str | None) -> Dashboard | None:
    builder = DashboardBuilder(FiguresReader(resources().engine), resources().database, resources().clock.now())
    try:
        return builder.build(month)
    except ValueError:
        flash(f"月份 “{month}” 格式不正确，应为 2026-11 这样的形式。", "error")
    except EngineError as exc:
        flash(f"流程引擎暂时无法读取：{exc}", "error")
    return None


@bp.get("")
@staff_required(Role.MANAGER, Role.JOINT_MEETING)
def index():
    """Timeliness per department, with charts, for all time or one month."""
    month = request.args.get("month") or None
    dashboard = build(month)
    return render_template("dashboard/index.html", dashboard=dashboard, month=month or "")


@bp.get("/export.csv")
@staff_required(Role.MANAGER, Role.JOINT_MEETING)
def export():
    """The same figures as CSV (UTF-8 with BOM, so that Excel reads the Chinese)."""
    month = request.args.get("month") or None
    dashboard = build(month)
    if dashboard is None:
        return Response("无法生成统计\n", status=400, mimetype="text/plain")
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            "部门",
            "受理件数",
            "在办件数",
            "已办任务",
            "按时办结",
            "按时率(%)",
            "当前超期",
            "超期预警次数",
            "已拨付资金(元)",
            "各环节平均工作日",
            "办结件数",
            "批准延期次数",
        ]
    )
    for item in dashboard.departments:
        stages = "；".join(f"{name} {days}" for name, days in item.working_days_by_stage.items())
        writer.writerow(
            [
                item.name,
                item.received,
                item.open,
                item.tasks_done,
                item.tasks_on_time,
                "" if item.on_time_percent is None else item.on_time_percent,
                len(item.overdue),
                item.escalations,
                f"{item.funds_paid:.2f}",
                stages,
                item.finished,
                item.extensions,
            ]
        )
    filename = f"timeliness-{month or 'all'}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
