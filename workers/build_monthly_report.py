"""Topic build_monthly_report: file last month's report once — the dashboard's figures per department as a
PDF and a CSV — and give the joint-meeting office its meeting to hold (R17)."""

from __future__ import annotations

from domain.clock import CHINA
from domain.deadlines import Deadline, due
from domain.engine.figures import FiguresReader
from domain.timeliness.dashboard import DashboardBuilder
from domain.timeliness.monthly_report import ReportFiles, build_and_file
from workers import resources
from workers.task import TaskContext

TOPIC = "build_monthly_report"


def handle(task: TaskContext) -> dict:
    now = resources.clock().now()
    meeting_due = due(resources.calendar(), Deadline.JOINT_MEETING, now.astimezone(CHINA).date())
    builder = DashboardBuilder(FiguresReader(resources.engine()), resources.database(), now)
    filed = build_and_file(
        resources.database(), ReportFiles(resources.settings().var_dir), builder, task.var("reportMonth"),
        task.process_instance_id, meeting_due,
    )  # fmt: skip
    # Another run of the timer filed this month's report (and holds its meeting): this one ends quietly.
    return {
        "reportId": filed.id,
        "reportState": "built" if filed.own else "existing",
        "reportOverview": filed.overview,
        "jointMeetingDue": meeting_due,
    }
