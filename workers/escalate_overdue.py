"""Topic escalate_overdue: record the overdue tasks and warn their unit and the joint-meeting office (R18)."""

from __future__ import annotations

from domain.timeliness.overdue import OverdueFinder, escalate
from workers import resources
from workers.task import TaskContext

TOPIC = "escalate_overdue"


def handle(task: TaskContext) -> dict:
    finder = OverdueFinder(resources.history(), resources.tasks(), resources.cases())
    overdue = finder.overdue_tasks(task.process_instance_id)
    with resources.database().session_scope() as session:
        lines = escalate(session, task.case(), overdue)
    return {"overdueSummary": "\n".join(lines) or "超期任务已办结。"}
