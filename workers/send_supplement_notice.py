"""Topic send_supplement_notice: one notice listing every missing item (一次性告知, R2)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "send_supplement_notice"


def handle(task: TaskContext) -> dict:
    missing = task.var("missingMaterials")
    round_ = task.optional("supplementRound", 0) + 1
    deadline = due(resources.calendar(), Deadline.SUPPLEMENT, resources.clock().today())
    case = case_ref(task)
    items = "\n".join(f"{index}. {name}" for index, name in enumerate(missing, start=1))
    body = (
        f"{task.var('enterpriseName')}：\n您申报的“{task.var('policyName')}”（申报编号 {case.application_number}）"
        f"材料不齐全。请于 {deadline:%Y年%m月%d日} 前一次性补正以下材料：\n{items}\n"
        f"逾期未补正的，视为撤回申请。"
    )
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case, NoticeKind.SUPPLEMENT, task.var("creditCode"), "申报材料补正告知", body, round_=str(round_)
        )
    return {"supplementDue": deadline, "supplementRound": round_}
