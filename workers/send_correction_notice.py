"""Topic send_correction_notice: tell the enterprise why, explain the policy, guide the correction (R5)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "send_correction_notice"


def handle(task: TaskContext) -> dict:
    round_ = task.optional("correctionRound", 0) + 1
    deadline = due(resources.calendar(), Deadline.SUPPLEMENT, resources.clock().today())
    case = case_ref(task)
    body = (
        f"{task.var('enterpriseName')}：\n您申报的“{task.var('policyName')}”（申报编号 {case.application_number}）"
        f"经{task.var('departmentName')}初步审查，申报材料不符合要求。\n"
        f"审查意见：{task.var('preliminaryOpinion')}\n"
        f"原因说明与补正指导：{task.optional('correctionGuidance', '请与部门联系')}\n"
        f"请于 {deadline:%Y年%m月%d日} 前补正材料；逾期未补正的，视为撤回申请。"
    )
    with resources.database().session_scope() as session:
        NoticeService(session).record(
            case, NoticeKind.CORRECTION, task.var("creditCode"), "申报材料不符合要求告知", body, str(round_)
        )
    return {"correctionDue": deadline, "correctionRound": round_}
