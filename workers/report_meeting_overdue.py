"""Topic report_meeting_overdue: the office has not recorded the month's joint meeting by its due date.
Kept for the assessment (R18) and shown to the managers, who oversee the office, on the reports' list."""

from __future__ import annotations

from domain.cases import CaseRef
from domain.organisation import JOINT_MEETING_OFFICE
from domain.timeliness.monthly_report import ReportStore, month_title
from domain.timeliness.services import OverdueService, OverdueTask
from workers import resources
from workers.task import TaskContext

TOPIC = "report_meeting_overdue"


def handle(task: TaskContext) -> dict:
    month = task.var("reportMonth")
    late = resources.tasks().late_tasks(task.process_instance_id, "hold_joint_meeting")
    case = CaseRef(task.process_instance_id, f"{month_title(month)}联席会议")
    with resources.database().session_scope() as session:
        ReportStore(session).mark_meeting_overdue(month, resources.clock().now())
        for item in late:
            OverdueService(session).record(
                case, OverdueTask(item.id, item.definition_key, item.name, JOINT_MEETING_OFFICE.group_id, item.due)
            )
    return {}
