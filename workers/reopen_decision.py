"""Topic reopen_decision: a case the finance bureau returned (or whose payee account was unusable)
comes back to the department with a new period counted from the return (issue 10, item 4)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from workers import resources
from workers.task import TaskContext

TOPIC = "reopen_decision"


def handle(task: TaskContext) -> dict:
    return {"decisionDue": due(resources.calendar(), Deadline.REDECISION, resources.clock().today())}
