"""Topic register_supplement: the enterprise supplemented; the department reviews again (R5).

The new preliminary review keeps its original deadline, or 3 working days from the supplement if
that is later: a late supplement must not make the department overdue at once.
"""

from __future__ import annotations

from domain.deadlines import Deadline, due
from workers import resources
from workers.task import TaskContext

TOPIC = "register_supplement"


def handle(task: TaskContext) -> dict:
    renewed = due(resources.calendar(), Deadline.PRELIMINARY_REVIEW, resources.clock().today())
    current = task.var("preliminaryReviewDue")
    return {"preliminaryReviewDue": max(current, renewed)}
