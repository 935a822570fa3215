"""Topic dispatch_payment: the numbered payment order of the approved amount (R9, R19), one per case.

An unusable payee account is a business problem: BPMN error ``payee_invalid`` returns the case to
the department, not a retry loop.
"""

from __future__ import annotations

import re

from domain.fulfilment.services import PaymentOrderService, money
from domain.organisation import FINANCE_BUREAU
from workers import resources
from workers.case import case_ref
from workers.documents import issue_document
from workers.task import BusinessError, TaskContext

TOPIC = "dispatch_payment"
ACCOUNT = re.compile(r"^[0-9]{8,32}$")


def handle(task: TaskContext) -> dict:
    account = (task.optional("payeeAccount") or "").replace(" ", "")
    bank = (task.optional("payeeBank") or "").strip()
    if not ACCOUNT.match(account) or not bank:
        raise BusinessError(
            "payee_invalid",
            f"收款账户不可用（开户银行 “{bank or '未填'}”，账号 “{account or '未填'}”），请部门核实后重新办理。",
        )
    case = case_ref(task)
    amount = money(task.optional("disbursedAmount") or task.var("approvedAmount"))
    body = "\n".join(
        [
            "县国库集中支付中心：",
            f"根据{task.var('departmentName')}审查结果，请将“{task.var('policyName')}”专项资金拨付如下：",
            f"收款单位：{task.var('enterpriseName')}；开户银行：{bank}；账号：{account}；金额：{amount:,.2f} 元。",
            f"申报编号：{case.application_number}；政策编码：{task.var('policyCode')}。",
        ]
    )
    reference = issue_document(case, "payment_order", FINANCE_BUREAU.group_id, "专项资金拨付通知书", body)
    with resources.database().session_scope() as session:
        order = PaymentOrderService(session).order(
            case,
            policy_code=task.var("policyCode"),
            department_group=task.var("departmentGroup"),
            amount=amount,
            payee_name=task.var("enterpriseName"),
            payee_bank=bank,
            payee_account=account,
            document_reference=reference,
        )
        order_id = order.id
    return {"paymentOrderId": order_id, "paymentOrderReference": reference}
