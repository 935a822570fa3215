"""Topic send_supplement_notice: one notice listing every missing item (一次性告知, R2), or the
extension of its period the window agreed with the enterprise (R16)."""

from __future__ import annotations

from domain.deadlines import supplement_period
from domain.notices.addressing import enterprise_channels, enterprise_of
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.task import TaskContext

TOPIC = "send_supplement_notice"


def handle(task: TaskContext) -> dict:
    case = task.case()
    round_ = task.optional("supplementRound", 0) + 1
    extending = task.optional("supplementDecision") == "extend"  # the window agreed more time (R16)
    extended_by = int(task.optional("extraWorkingDays", 0) or 0) if extending else 0
    deadline, contact = supplement_period(
        resources.calendar(), resources.clock().today(), task.optional("supplementDue"), extended_by
    )
    context = {
        "enterprise_name": case.require("enterpriseName"),
        "policy_name": case.require("policyName"),
        "due": deadline,
        "missing": task.optional("missingMaterials", []),
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
    # The decision is spent: a later round (after a supplement that is still incomplete) is a new notice.
    return {"supplementDue": deadline, "supplementContactDue": contact, "supplementRound": round_,
            "supplementDecision": "notified"}  # fmt: skip
