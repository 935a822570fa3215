"""Topic open_acceptance_check: the window's 受理审查 is due R3's day after each entry (issue 10)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from workers import resources
from workers.task import TaskContext

TOPIC = "open_acceptance_check"


def handle(task: TaskContext) -> dict:
    return {"acceptanceCheckDue": due(resources.calendar(), Deadline.ACCEPTANCE_CHECK, resources.clock().today())}
