"""Topic open_objection_handling: the department's 处理异议 is due from the objection's arrival (R20)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from workers import resources
from workers.task import TaskContext

TOPIC = "open_objection_handling"


def handle(task: TaskContext) -> dict:
    return {"objectionHandlingDue": due(resources.calendar(), Deadline.OBJECTION_HANDLING, resources.clock().today())}
