"""The words of the result notice: reasons and fulfilment plan, per outcome (R12)."""

from __future__ import annotations

from domain.applications.outcomes import Outcome
from workers.task import TaskContext


def opinion_for(task: TaskContext, outcome: Outcome) -> str:
    """The written reasons behind the outcome, from whoever decided it."""
    return {
        Outcome.NOT_ACCEPTED: task.optional("acceptanceProblem", ""),
        Outcome.WITHDRAWN: "企业在补正期限内未补正材料。",
        Outcome.REJECTED: task.optional("objectionResolution")
        or task.optional("decisionOpinion")
        or task.optional("preliminaryOpinion", ""),
        Outcome.REJECTED_BY_MUNICIPAL: task.optional("municipalOpinion", ""),
        Outcome.APPROVED_REPORTED: task.optional("municipalOpinion", ""),
    }.get(outcome, task.optional("decisionOpinion", ""))


def fulfilment_plan(task: TaskContext, outcome: Outcome) -> str:
    if outcome is Outcome.APPROVED_RECOGNISED:
        return f"认定文件：{task.var('recognitionDocument')}。"
    if outcome is Outcome.APPROVED_PAID:
        amount = task.optional("disbursedAmount") or task.optional("approvedAmount") or 0
        return f"专项资金 {amount:,.2f} 元已由县财政局拨付至企业账户。"
    if outcome is Outcome.APPROVED_REPORTED:
        return "由市级主管部门兑现，具体以市级通知为准。"
    return ""
