"""The department's written result notice to the window (R12): outcome, reasons and fulfilment plan."""

from __future__ import annotations

from dataclasses import dataclass

from domain.applications.outcomes import Outcome
from domain.cases import CaseFacts
from domain.db import Database
from domain.documents import issuing
from domain.organisation import WINDOW

KIND = "result_notice"


@dataclass(frozen=True)
class ResultNotice:
    reference: str
    text: str  # what the window reads and passes on: the reference, then the notice without salutation


def opinion_for(case: CaseFacts, outcome: Outcome) -> str:
    """The written reasons behind the outcome, from whoever decided it."""
    return {
        Outcome.NOT_ACCEPTED: case.get("acceptanceProblem", ""),
        Outcome.WITHDRAWN: "企业在补正期限内未补正材料。",
        Outcome.REJECTED: upheld_objection(case) or case.get("decisionOpinion") or case.get("preliminaryOpinion", ""),
        Outcome.REJECTED_BY_MUNICIPAL: case.get("municipalOpinion", ""),
        Outcome.APPROVED_REPORTED: case.get("municipalOpinion", ""),
    }.get(outcome, case.get("decisionOpinion", ""))


def upheld_objection(case: CaseFacts) -> str | None:
    """The resolution of an objection that was upheld; a dismissed objection is never a reason (R20)."""
    return case.get("objectionResolution") if case.get("objectionUpheld") == "upheld" else None


def fulfilment_plan(case: CaseFacts, outcome: Outcome) -> str:
    if outcome is Outcome.APPROVED_RECOGNISED:
        return f"认定文件：{case.require('recognitionDocument')}。"
    if outcome is Outcome.APPROVED_PAID:
        amount = case.get("disbursedAmount") or case.get("approvedAmount") or 0
        return f"专项资金 {amount:,.2f} 元已由县财政局拨付至企业账户。"
    if outcome is Outcome.APPROVED_REPORTED:
        return "由市级主管部门兑现，具体以市级通知为准。"
    return ""


def issue_result_notice(database: Database, case: CaseFacts, outcome: Outcome, year: int) -> ResultNotice:
    """Issue (once) the numbered result notice; cases that end before routing are answered by the window."""
    reference = issuing.issue(
        database,
        case.ref,
        KIND,
        case.department_group or WINDOW.group_id,
        year,
        f"关于申报编号 {case.application_number} 办理结果的书面通知",
        enterprise_name=case.require("enterpriseName"),
        credit_code=case.require("creditCode"),
        policy_name=case.policy_name,
        outcome_text=outcome.text,
        opinion=opinion_for(case, outcome),
        plan=fulfilment_plan(case, outcome),
    )
    lines = issuing.body_of(database, case.ref, KIND).splitlines()
    return ResultNotice(reference, "\n".join([reference, *lines[1:-1]]))
