"""The joint meeting's monthly reports (R17) and the yearly assessment (R18), for managers and the office."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, render_template, request

from domain.engine import EngineError
from domain.engine.figures import FiguresReader
from domain.organisation import Role
from domain.timeliness.dashboard import DashboardBuilder
from domain.timeliness.monthly_report import MONTH, ReportFiles, ReportStore, month_title, report_file
from domain.timeliness.report_table import COLUMNS, NO_CASES, cells
from domain.timeliness.yearly import YearlyAssessment, assess
from webui.auth import staff_required
from webui.context import resources

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")
OVERSEERS = (Role.MANAGER, Role.JOINT_MEETING)  # R17: the office convenes; R18: the managers assess


@bp.get("")
@staff_required(*OVERSEERS)
def index():
    """Every month's report, newest first, with the state of its meeting."""
    with resources().database.session_scope() as session:
        reports = ReportStore(session).newest_first()
    return render_template(
        "reports/index.html", reports=reports, month_title=month_title, now=resources().clock.now(), no_cases=NO_CASES
    )


@bp.get("/<month>")
@staff_required(*OVERSEERS)
def report(month: str):
    """One month's report as filed: the figures per department and the meeting's resolutions."""
    if not MONTH.match(month):
        abort(404)
    with resources().database.session_scope() as session:
        found = ReportStore(session).find(month)
    if found is None:
        abort(404)
    return render_template(
        "reports/report.html",
        report=found,
        title=month_title(month),
        headers=[header for _, header in COLUMNS],
        rows=[cells(row) for row in found.figures],
        no_cases=NO_CASES,
    )


@bp.get("/<month>/report.<kind>")
@staff_required(*OVERSEERS)
def download(month: str, kind: str):
    """The month's PDF or CSV, exactly as filed (its SHA-256 checked)."""
    found = report_file(resources().database, ReportFiles(resources().settings.var_dir), month, kind)
    if found is None:
        abort(404)
    return _attachment(found.content, found.mimetype, found.filename)


@bp.get("/yearly")
@staff_required(*OVERSEERS)
def yearly():
    """The year's timeliness per department (R18), from the dashboard's figures."""
    year = request.args.get("year", type=int) or resources().clock.today().year
    return render_template(
        "reports/yearly.html",
        year=year,
        assessment=_assess(year),
        headers=[header for _, header in COLUMNS],
        cells=cells,
    )


@bp.get("/yearly/<int:year>.csv")
@staff_required(*OVERSEERS)
def yearly_csv(year: int):
    """The yearly assessment as CSV (UTF-8 with BOM, so that Excel reads the Chinese)."""
    assessment = _assess(year)
    if assessment is None:
        return Response("无法生成年度统计\n", status=400, mimetype="text/plain")
    return _attachment(assessment.csv(), "text/csv; charset=utf-8", assessment.filename)


def _assess(year: int) -> YearlyAssessment | None:
    builder = DashboardBuilder(FiguresReader(resources().engine), resources().database, resources().clock.now())
    try:
        return assess(builder, year)
    except ValueError as exc:
        flash(f"年份不正确：{exc}", "error")
    except EngineError as exc:
        flash(f"流程引擎暂时无法读取：{exc}", "error")
    return None


def _attachment(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        content, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    )
