"""Topic record_meeting_resolutions: keep the joint meeting's date, attendees and resolutions with the
month's report, where managers and the office read them (R17)."""

from __future__ import annotations

import datetime as dt

from domain.timeliness.monthly_report import ReportStore
from workers import resources
from workers.task import TaskContext

TOPIC = "record_meeting_resolutions"


def handle(task: TaskContext) -> dict:
    held_on = dt.date.fromisoformat(str(task.var("meetingDate"))[:10])  # Tasklist's date field: 2026-12-03
    with resources.database().session_scope() as session:
        ReportStore(session).record_meeting(
            task.var("reportMonth"), held_on, task.optional("meetingAttendees"), task.var("meetingDecisions"),
            resources.clock().now(),
        )  # fmt: skip
    return {}
