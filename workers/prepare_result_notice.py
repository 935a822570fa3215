"""Topic prepare_result_notice: the department's numbered written result notice to the window (R12)."""

from __future__ import annotations

from domain.applications.outcomes import Outcome
from domain.deadlines import Deadline, due
from domain.organisation import WINDOW
from workers import resources
from workers.case import case_ref
from workers.documents import issue_document
from workers.result_texts import fulfilment_plan, opinion_for
from workers.task import TaskContext

TOPIC = "prepare_result_notice"


def handle(task: TaskContext) -> dict:
    outcome = Outcome.from_code(task.var("outcome"))
    case = case_ref(task)
    # Cases that end before routing (not accepted, withdrawn at acceptance) are answered by the window.
    issuer = task.optional("departmentGroup") or WINDOW.group_id
    lines = [
        "县行政服务中心惠企政策兑现专窗：",
        f"申报编号 {case.application_number}，申报企业 {task.var('enterpriseName')}（{task.var('creditCode')}），"
        f"申报政策“{task.optional('policyName') or task.var('policyCode')}”。",
        f"办理结果：{outcome.text}。",
    ]
    if opinion := opinion_for(task, outcome):
        lines.append(f"意见：{opinion}")
    if plan := fulfilment_plan(task, outcome):
        lines.append(f"兑现方案：{plan}")
    lines.append("请专窗统一向企业反馈。")
    reference = issue_document(
        case, "result_notice", issuer, f"关于申报编号 {case.application_number} 办理结果的书面通知", "\n".join(lines)
    )
    return {
        "outcomeText": outcome.text,
        "resultNotice": f"{reference}\n" + "\n".join(lines[1:-1]),
        "resultNoticeReference": reference,
        "feedbackDue": due(resources.calendar(), Deadline.FEEDBACK, resources.clock().today()),
    }
