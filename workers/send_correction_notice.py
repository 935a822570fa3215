"""Topic send_correction_notice: tell the enterprise why, explain the policy, guide the correction (R5)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.addressing import enterprise_channels, enterprise_of
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.task import TaskContext

TOPIC = "send_correction_notice"


def handle(task: TaskContext) -> dict:
    case = task.case()
    round_ = task.optional("correctionRound", 0) + 1
    deadline = due(resources.calendar(), Deadline.SUPPLEMENT, resources.clock().today())
    context = {
        "enterprise_name": case.require("enterpriseName"),
        "policy_name": case.require("policyName"),
        "department_name": case.require("departmentName"),
        "opinion": task.var("preliminaryOpinion"),
        "guidance": task.optional("correctionGuidance", "请与审查部门联系"),
        "due": deadline,
    }
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case.ref,
            NoticeKind.CORRECTION,
            enterprise_of(case),
            context,
            channels=enterprise_channels(case, resources.channels()),
            round_=str(round_),
        )
    return {"correctionDue": deadline, "correctionRound": round_}
