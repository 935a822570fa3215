"""Topic publish_announcement: 公示 of an approved funding case, with its objection period (R20)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.fulfilment.services import AnnouncementService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "publish_announcement"


def handle(task: TaskContext) -> dict:
    round_ = task.optional("announcementRound", 0) + 1
    now = resources.clock().now()
    ends = due(resources.calendar(), Deadline.OBJECTION, now.date())
    case = case_ref(task)
    amount = task.optional("approvedAmount")
    body = (
        f"经{task.var('departmentName')}审查，拟对{task.var('enterpriseName')}兑现“{task.var('policyName')}”"
        + (f"，金额 {amount:,.2f} 元" if amount is not None else "")
        + f"。公示期至 {ends:%Y年%m月%d日}，对公示内容有异议的，可在公示期内提出"
        + f"（申报编号 {case.application_number}）。"
    )
    with resources.database().session_scope() as session:
        AnnouncementService(session).publish(
            case, round_, f"{task.var('policyName')}拟兑现公示", body, now=now, ends=ends
        )
    return {"objectionPeriodEnds": ends, "announcementRound": round_}
