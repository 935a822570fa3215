"""Topic send_correction_notice: tell the enterprise why, explain the policy, guide the correction (R5)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref, enterprise, enterprise_channels
from workers.task import TaskContext

TOPIC = "send_correction_notice"


def handle(task: TaskContext) -> dict:
    round_ = task.optional("correctionRound", 0) + 1
    deadline = due(resources.calendar(), Deadline.SUPPLEMENT, resources.clock().today())
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case_ref(task),
            NoticeKind.CORRECTION,
            enterprise(task),
            {
                "enterprise_name": task.var("enterpriseName"),
                "policy_name": task.var("policyName"),
                "department_name": task.var("departmentName"),
                "opinion": task.var("preliminaryOpinion"),
                "guidance": task.optional("correctionGuidance", "请与审查部门联系"),
                "due": deadline,
            },
            channels=enterprise_channels(task),
            round_=str(round_),
        )
    return {"correctionDue": deadline, "correctionRound": round_}
