"""Topic dispatch_payment: the payment order to the treasury for the approved amount (R9, R19).

An unusable payee account is a business problem: BPMN error ``payee_invalid`` returns the case to
the department, not a retry loop.
"""

from __future__ import annotations

import re

from domain.fulfilment.services import PaymentOrderService, money
from workers import resources
from workers.case import case_ref
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
    amount = money(task.optional("disbursedAmount") or task.var("approvedAmount"))
    with resources.database().session_scope() as session:
        order = PaymentOrderService(session).order(
            case_ref(task),
            policy_code=task.var("policyCode"),
            department_group=task.var("departmentGroup"),
            amount=amount,
            payee_name=task.var("enterpriseName"),
            payee_bank=bank,
            payee_account=account,
        )
        order_id = order.id
    return {"paymentOrderId": order_id}
