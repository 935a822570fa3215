"""The joint meeting's month (R17): from the first working day of a month, last month's figures per department
— the dashboard's own, never computed a second way — as a PDF and a CSV, filed once, then the office's record
of the meeting that discussed them.

Exactly once: a report is a row keyed by its month (unique). The figures are read and laid out with no
transaction open, the files written under names no other run uses, and the row inserted in one short
transaction; a run that finds another's row removes its own files and takes that row.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.calendar import WorkingDayCalendar
from domain.clock import CHINA
from domain.db import Database, get_or_create
from domain.pdf import html_to_pdf, sha256
from domain.templating import render
from domain.timeliness.dashboard import DashboardBuilder
from domain.timeliness.models import MonthlyReport
from domain.timeliness.report_table import COLUMNS, NO_CASES, cases_received, cells, table, to_csv

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def first_working_day(calendar: WorkingDayCalendar, today: dt.date) -> dt.date:
    """The first working day of today's month by the official calendar, 调休 included: 4 January 2026 (a
    Sunday) and 7 October 2023 (a Saturday) were first working days."""
    day = today.replace(day=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def report_is_due(database: Database, calendar: WorkingDayCalendar, today: dt.date) -> bool:
    """Whether last month's report is to be filed today (R17): on or after the first working day of this month
    and not filed yet. A first working day on which the engine or the workers were down is caught up the next
    morning the timer runs; once filed, the month ends quietly every day after. Two runs that both find it
    unfiled are settled by build_and_file (one report per month, unique key)."""
    if today < first_working_day(calendar, today):
        return False
    with database.session_scope() as session:
        return ReportStore(session).find(previous_month(today)) is None


def previous_month(today: dt.date) -> str:
    """The month before today's, as ``2026-11``."""
    return f"{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def month_title(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


class ReportFiles:
    """The reports' files under ``<var>/reports/monthly/``, by names this class gives out only."""

    NAME = re.compile(r"^\d{4}-\d{2}-[0-9a-f]{12}\.(pdf|csv)$")

    def __init__(self, var_dir: Path) -> None:
        self.root = var_dir / "reports" / "monthly"

    def write(self, month: str, suffix: str, content: bytes) -> str:
        """Keep the content under a new name (written whole, then renamed into place); return the name."""
        name = f"{month}-{uuid.uuid4().hex[:12]}.{suffix}"
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".{name}.tmp"
        temporary.write_bytes(content)
        temporary.replace(self.path(name))
        return name

    def read(self, name: str) -> bytes | None:
        """The file's content, or None when it is not there (a web UI on a host without the var directory)."""
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError:
            return None

    def remove(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def path(self, name: str) -> Path:
        if not self.NAME.match(name):
            raise ValueError(f"不是本系统生成的报告文件名：{name!r}")
        return self.root / name


@dataclass(frozen=True)
class FiledReport:
    """What the process learns of the report: which row, and whether this run's process filed it."""

    id: int
    month: str
    received: int
    own: bool  # False: another run of the process filed this month's report (the timer ran twice)

    @property
    def overview(self) -> str:
        cases = f"受理 {self.received} 件" if self.received else NO_CASES
        return f"{month_title(self.month)}惠企政策兑现办理情况报告已生成（{cases}），可在网页“月度报告”中查看和下载。"


def render_pdf(month: str, rows: list[dict], built_at: dt.datetime, provisional: bool) -> bytes:
    """The report laid out as a PDF (slow: call it with no transaction open)."""
    return html_to_pdf(
        render(
            "reports/monthly_report.html",
            title=f"{month_title(month)}惠企政策兑现办理情况报告",
            headers=[header for key, header in COLUMNS if key != "stages"],
            rows=[(row, cells(row)[:-1]) for row in rows],
            received=cases_received(rows),
            no_cases=NO_CASES,
            built_at=built_at.astimezone(CHINA),
            provisional=provisional,
        )
    )


def build_and_file(
    database: Database,
    files: ReportFiles,
    builder: DashboardBuilder,
    month: str,
    process_instance_id: str,
    meeting_due: dt.datetime,
) -> FiledReport:
    """File the month's report once (R17) and return it; a report already filed is returned as it is."""
    with database.session_scope() as session:
        existing = ReportStore(session).find(month)
        if existing is not None:
            return _filed(existing, process_instance_id)
    dashboard = builder.build(month)  # the dashboard's own figures: the two never disagree
    rows = table(dashboard)
    received = cases_received(rows)
    pdf = render_pdf(month, rows, builder.now, bool(dashboard.provisional_years))
    spreadsheet = to_csv(rows, None if received else NO_CASES)
    pdf_name, csv_name = files.write(month, "pdf", pdf), files.write(month, "csv", spreadsheet)
    with database.session_scope() as session:
        report, new = get_or_create(
            session, MonthlyReport, {"month": month},
            process_instance_id=process_instance_id, built_at=builder.now, received=received, figures=rows,
            pdf_name=pdf_name, pdf_sha256=sha256(pdf), csv_name=csv_name, csv_sha256=sha256(spreadsheet),
            meeting_due=meeting_due,
        )  # fmt: skip
        filed = _filed(report, process_instance_id)
    if not new:  # another run filed it meanwhile: its files stand, ours go
        files.remove(pdf_name)
        files.remove(csv_name)
    return filed


def _filed(report: MonthlyReport, process_instance_id: str) -> FiledReport:
    return FiledReport(report.id, report.month, report.received, report.process_instance_id == process_instance_id)


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str
    mimetype: str


class ReportStore:
    """The filed monthly reports: listing, one report, its files, the meeting's record."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, month: str) -> MonthlyReport | None:
        return self.session.scalar(select(MonthlyReport).where(MonthlyReport.month == month))

    def newest_first(self) -> list[MonthlyReport]:
        return list(self.session.scalars(select(MonthlyReport).order_by(MonthlyReport.month.desc())))

    def record_meeting(
        self, month: str, meeting_date: dt.date, attendees: str | None, resolutions: str, at: dt.datetime
    ) -> MonthlyReport:
        """Keep the meeting's date, attendees and resolutions with the month's report (R17); the same
        record again changes nothing. Raise LookupError when the month has no report."""
        report = self.find(month)
        if report is None:
            raise LookupError(f"{month_title(month)}的月度报告不存在")
        if (report.meeting_date, report.attendees, report.resolutions) != (meeting_date, attendees, resolutions):
            report.meeting_date, report.attendees, report.resolutions = meeting_date, attendees, resolutions
            report.recorded_at = at
        self.session.flush()
        return report

    def mark_meeting_overdue(self, month: str, at: dt.datetime) -> None:
        """The office has not recorded the meeting by its due date: the managers see it on the list (R18)."""
        report = self.find(month)
        if report is not None and report.meeting_overdue_at is None and report.resolutions is None:
            report.meeting_overdue_at = at
            self.session.flush()


def report_file(database: Database, files: ReportFiles, month: str, kind: str) -> ReportFile | None:
    """The month's PDF or CSV as filed, or None when there is none or it is not the file that was filed."""
    if not MONTH.match(month) or kind not in ("pdf", "csv"):
        return None
    with database.session_scope() as session:
        report = ReportStore(session).find(month)
        if report is None:
            return None
        name, digest = (report.pdf_name, report.pdf_sha256) if kind == "pdf" else (report.csv_name, report.csv_sha256)
    content = files.read(name)
    if content is None or sha256(content) != digest:
        return None
    mimetype = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
    return ReportFile(content, f"{month_title(month)}惠企政策兑现办理情况报告.{kind}", mimetype)
