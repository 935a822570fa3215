"""Topic publish_announcement: 公示 of an approved funding case, with its objection period (R20)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.fulfilment.services import AnnouncementService
from workers import resources
from workers.task import TaskContext

TOPIC = "publish_announcement"


def handle(task: TaskContext) -> dict:
    round_ = task.optional("announcementRound", 0) + 1
    now = resources.clock().now()
    ends = due(resources.calendar(), Deadline.OBJECTION, now.date())
    with resources.database().session_scope() as session:
        AnnouncementService(session).announce_funding(task.case(), round_, now=now, ends=ends)
    return {"objectionPeriodEnds": ends, "announcementRound": round_}
