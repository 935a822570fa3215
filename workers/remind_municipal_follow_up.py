"""Topic remind_municipal_follow_up: remind the department to follow up the municipal review (R10)."""

from __future__ import annotations

from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from workers import resources
from workers.task import TaskContext

TOPIC = "remind_municipal_follow_up"


def handle(task: TaskContext) -> dict:
    case = task.case()
    count = task.optional("followUpReminders", 0) + 1
    context = {
        "enterprise_name": case.require("enterpriseName"),
        "policy_name": case.require("policyName"),
        "municipal_department": task.optional("municipalDepartment", "市级主管部门"),
        "count": count,
    }
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case.ref, NoticeKind.FOLLOW_UP, Addressee(case.require("departmentGroup")), context, round_=str(count)
        )
    return {"followUpReminders": count}
