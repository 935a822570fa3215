"""Topic report_office_overdue: a step of the joint-meeting office (督办, 审批延期) or a requester's
reading of an extension's result is late: recorded for the assessment (R18) and reported to the
managers, who oversee the office; the office is not asked to supervise itself."""

from __future__ import annotations

from domain.timeliness.overdue import report_to_managers
from workers import resources
from workers.task import TaskContext

TOPIC = "report_office_overdue"


def handle(task: TaskContext) -> dict:
    tasks = resources.tasks()
    late = [
        (late_task, (tasks.candidate_groups(late_task.id) or [task.optional("departmentGroup") or ""])[0])
        for late_task in tasks.late_tasks(task.process_instance_id, task.var("overdueTask"))
    ]  # the group that holds it: the office's candidate group, or the requester's department
    with resources.database().session_scope() as session:
        lines = report_to_managers(session, task.case(), late)
    return {"overdueSummary": "\n".join(lines) or "超期任务已办结。"}
