"""Topic prepare_result_notice: the written result notice the window receives (R12), per outcome."""

from __future__ import annotations

from domain.applications.outcomes import Outcome
from domain.deadlines import Deadline, due
from workers import resources
from workers.case import application_number
from workers.result_texts import fulfilment_plan, opinion_for
from workers.task import TaskContext

TOPIC = "prepare_result_notice"


def handle(task: TaskContext) -> dict:
    outcome = Outcome.from_code(task.var("outcome"))
    issuer = task.optional("departmentName") or "县行政服务中心惠企政策兑现专窗"
    lines = [
        f"{issuer}关于申报编号 {application_number(task)} 的书面结果通知",
        f"申报企业：{task.var('enterpriseName')}（{task.var('creditCode')}）",
        f"申报政策：{task.optional('policyName') or task.var('policyCode')}",
        f"办理结果：{outcome.text}",
    ]
    if opinion := opinion_for(task, outcome):
        lines.append(f"意见：{opinion}")
    if plan := fulfilment_plan(task, outcome):
        lines.append(f"兑现方案：{plan}")
    return {
        "outcomeText": outcome.text,
        "resultNotice": "\n".join(lines),
        "feedbackDue": due(resources.calendar(), Deadline.FEEDBACK, resources.clock().today()),
    }
