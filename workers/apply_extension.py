"""Topic apply_extension: move the case's running deadlines, its tasks' due dates and its timers (R11).

Every move is computed from the deadlines recorded when the request was checked, so running this
task again sets the same new values (nothing moves twice).
"""

from __future__ import annotations

import datetime as dt

from domain.clock import CHINA
from domain.deadlines import extend
from workers import resources
from workers.task import TaskContext
from workers.variables import format_date, from_camunda

TOPIC = "apply_extension"


def handle(task: TaskContext) -> dict:
    engine = resources.engine()
    case_id = task.var("caseInstanceId")
    days = int(task.var("approvedWorkingDays"))
    moves = {
        name: (old, extend(resources.calendar(), old, days))
        for name, old in ((n, dt.datetime.fromisoformat(v)) for n, v in task.var("deadlinesToExtend").items())
    }
    for name, (old, new) in moves.items():
        for open_task in engine.get("/task", processInstanceId=case_id):
            if open_task.get("due") and _moment(open_task["due"]) in (old, new):
                engine.put(f"/task/{open_task['id']}", {**_updatable(open_task), "due": format_date(new)})
        for job in engine.get("/job", processInstanceId=case_id, timers="true"):
            if job.get("dueDate") and _moment(job["dueDate"]) in (old, new):
                engine.put(f"/job/{job['id']}/duedate", {"duedate": format_date(new), "cascade": False})
        engine.put(f"/process-instance/{case_id}/variables/{name}", {"value": format_date(new), "type": "Date"})
    listing = "\n".join(
        f"{name}：{old.astimezone(CHINA):%Y年%m月%d日} → {new.astimezone(CHINA):%Y年%m月%d日}"
        for name, (old, new) in sorted(moves.items())
    )
    return {"extensionResultText": f"联席会议办公室同意延长 {days} 个工作日：\n{listing}"}


def _moment(value: str) -> dt.datetime:
    return from_camunda({"type": "Date", "value": value})


def _updatable(open_task: dict) -> dict:
    """The fields PUT /task/{id} sets (all of them: a missing one would be cleared)."""
    fields = (
        "name",
        "description",
        "assignee",
        "owner",
        "delegationState",
        "followUp",
        "priority",
        "parentTaskId",
        "caseInstanceId",
        "tenantId",
    )
    return {field: open_task.get(field) for field in fields}
