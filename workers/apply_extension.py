"""Topic apply_extension: move the case's remaining deadlines, its tasks' due dates and its timers, and
tell the enterprise and the window the new dates (R11)."""

from __future__ import annotations

import datetime as dt

from domain.timeliness.extension import apply_extension, moves_text
from domain.timeliness.extension_notices import tell_extension
from workers import resources
from workers.task import TaskContext

TOPIC = "apply_extension"


def handle(task: TaskContext) -> dict:
    deadlines = {name: dt.datetime.fromisoformat(v) for name, v in task.var("deadlinesToExtend").items()}
    days = int(task.var("approvedWorkingDays"))
    case_id = task.var("caseInstanceId")
    moves = apply_extension(resources.tasks(), resources.calendar(), case_id, days, deadlines)
    lines = moves_text(moves)
    resolution = task.optional("meetingResolution") or "联席会议办公室审批"
    meeting = task.optional("meetingDate") or ""
    with resources.database().session_scope() as session:  # once per request (the notices' idempotency key)
        tell_extension(
            session, resources.cases(), resources.channels(), case_id, task.process_instance_id,
            {"days": days, "moves": lines, "resolution": resolution, "meeting_date": str(meeting)[:10]},
        )  # fmt: skip
    header = f"联席会议办公室同意延长 {days} 个工作日（{resolution}{'，' + str(meeting)[:10] if meeting else ''}）："
    return {"extensionResultText": "\n".join([header, *lines])}
