"""Topic send_supplement_notice: one notice listing every missing item (一次性告知, R2)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.addressing import enterprise_channels, enterprise_of
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.task import TaskContext

TOPIC = "send_supplement_notice"


def handle(task: TaskContext) -> dict:
    case = task.case()
    round_ = task.optional("supplementRound", 0) + 1
    deadline = due(resources.calendar(), Deadline.SUPPLEMENT, resources.clock().today())
    context = {
        "enterprise_name": case.require("enterpriseName"),
        "policy_name": case.require("policyName"),
        "due": deadline,
        "missing": task.var("missingMaterials"),
    }
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case.ref,
            NoticeKind.SUPPLEMENT,
            enterprise_of(case),
            context,
            channels=enterprise_channels(case, resources.channels()),
            round_=str(round_),
        )
    return {"supplementDue": deadline, "supplementRound": round_}
