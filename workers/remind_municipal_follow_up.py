"""Topic remind_municipal_follow_up: remind the department to follow up the municipal review (R10)."""

from __future__ import annotations

from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "remind_municipal_follow_up"


def handle(task: TaskContext) -> dict:
    count = task.optional("followUpReminders", 0) + 1
    case = case_ref(task)
    body = (
        f"申报编号 {case.application_number}（{task.var('enterpriseName')}，“{task.var('policyName')}”）"
        f"已上报{task.optional('municipalDepartment', '市级主管部门')}，尚未收到审查结果。"
        f"请主动跟踪协调（第 {count} 次提醒）。"
    )
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case, NoticeKind.FOLLOW_UP, task.var("departmentGroup"), "市级审查跟踪提醒", body, str(count)
        )
    return {"followUpReminders": count}
