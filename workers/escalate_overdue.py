"""Topic escalate_overdue: record the overdue tasks and warn their unit and the joint-meeting office (R18)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.kinds import NoticeKind
from domain.notices.tasklist import comment_on_task
from domain.timeliness.overdue import OverdueFinder, escalate
from workers import resources
from workers.task import TaskContext

TOPIC = "escalate_overdue"


def handle(task: TaskContext) -> dict:
    finder = OverdueFinder(resources.history(), resources.tasks(), resources.cases())
    overdue = finder.overdue_tasks(task.process_instance_id)
    with resources.database().session_scope() as session:
        lines = escalate(session, task.case(), overdue)
    # R18: the warning also shows in Tasklist, as a comment on the overdue task itself (after the commit).
    for item, line in zip(overdue, lines, strict=True):
        comment_on_task(resources.tasks(), item.task_id, f"【{NoticeKind.OVERDUE.subject}】{line}。请督促办理。")
    supervision = due(resources.calendar(), Deadline.SUPERVISION, resources.clock().today())  # the office's own step
    return {"overdueSummary": "\n".join(lines) or "超期任务已办结。", "supervisionDue": supervision}
