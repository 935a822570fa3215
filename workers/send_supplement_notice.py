"""Topic send_supplement_notice: one notice listing every missing item (一次性告知, R2)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref, enterprise, enterprise_channels
from workers.task import TaskContext

TOPIC = "send_supplement_notice"


def handle(task: TaskContext) -> dict:
    round_ = task.optional("supplementRound", 0) + 1
    deadline = due(resources.calendar(), Deadline.SUPPLEMENT, resources.clock().today())
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case_ref(task),
            NoticeKind.SUPPLEMENT,
            enterprise(task),
            {
                "enterprise_name": task.var("enterpriseName"),
                "policy_name": task.var("policyName"),
                "due": deadline,
                "missing": task.var("missingMaterials"),
            },
            channels=enterprise_channels(task),
            round_=str(round_),
        )
    return {"supplementDue": deadline, "supplementRound": round_}
