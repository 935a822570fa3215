"""The payment order of an approved funding case (R9, R19): one per case, numbered, with its PDF."""

from __future__ import annotations

from dataclasses import dataclass

from domain.cases import CaseFacts
from domain.db import Database
from domain.documents import issuing
from domain.fulfilment.payment import amount_to_pay, payee
from domain.fulfilment.services import PaymentOrderService
from domain.organisation import FINANCE_BUREAU


@dataclass(frozen=True)
class PaymentOrdered:
    order_id: int
    reference: str


def order_payment(database: Database, case: CaseFacts, year: int) -> PaymentOrdered:
    """Issue the finance bureau's payment order of the approved amount to the enterprise's account.

    Raise PayeeInvalid when the account cannot be paid into (a business outcome, not a retry).
    """
    to = payee(case.require("enterpriseName"), case.get("payeeBank"), case.get("payeeAccount"))
    amount = amount_to_pay(case.get("approvedAmount"), case.get("disbursedAmount"))
    reference = issuing.issue(
        database,
        case.ref,
        "payment_order",
        FINANCE_BUREAU.group_id,
        year,
        "专项资金拨付通知书",
        department_name=case.require("departmentName"),
        policy_name=case.require("policyName"),
        policy_code=case.require("policyCode"),
        payee_name=to.name,
        bank=to.bank,
        account=to.account,
        amount=amount,
    )
    with database.session_scope() as session:
        order = PaymentOrderService(session).order(
            case.ref,
            policy_code=case.require("policyCode"),
            department_group=case.require("departmentGroup"),
            amount=amount,
            payee_name=to.name,
            payee_bank=to.bank,
            payee_account=to.account,
            document_reference=reference,
        )
        return PaymentOrdered(order.id, reference)
