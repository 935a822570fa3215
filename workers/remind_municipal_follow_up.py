"""Topic remind_municipal_follow_up: remind the department to follow up the municipal review (R10)."""

from __future__ import annotations

from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "remind_municipal_follow_up"


def handle(task: TaskContext) -> dict:
    count = task.optional("followUpReminders", 0) + 1
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case_ref(task),
            NoticeKind.FOLLOW_UP,
            Addressee(task.var("departmentGroup")),
            {
                "enterprise_name": task.var("enterpriseName"),
                "policy_name": task.var("policyName"),
                "municipal_department": task.optional("municipalDepartment", "市级主管部门"),
                "count": count,
            },
            round_=str(count),
        )
    return {"followUpReminders": count}
