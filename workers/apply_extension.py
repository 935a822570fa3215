"""Topic apply_extension: move the case's running deadlines, its tasks' due dates and its timers (R11)."""

from __future__ import annotations

import datetime as dt

from domain.timeliness.extension import apply_extension
from workers import resources
from workers.task import TaskContext

TOPIC = "apply_extension"


def handle(task: TaskContext) -> dict:
    deadlines = {name: dt.datetime.fromisoformat(v) for name, v in task.var("deadlinesToExtend").items()}
    text = apply_extension(
        resources.tasks(),
        resources.calendar(),
        task.var("caseInstanceId"),
        int(task.var("approvedWorkingDays")),
        deadlines,
    )
    return {"extensionResultText": text}
