"""The payment order of an approved funding case (R9, R19): one per case, numbered, with its PDF."""

from __future__ import annotations

from dataclasses import dataclass

from domain.cases import CaseFacts
from domain.db import Database
from domain.documents import issuing
from domain.fulfilment.municipal_result import MunicipalResultService
from domain.fulfilment.payment import amount_to_pay, payee
from domain.fulfilment.services import DecisionService, PaymentOrderService
from domain.organisation import FINANCE_BUREAU


@dataclass(frozen=True)
class PaymentOrdered:
    order_id: int
    reference: str


def order_payment(database: Database, case: CaseFacts, year: int) -> PaymentOrdered:
    """Issue the finance bureau's payment order of the approved amount to the enterprise's account.

    Money facts come from the record of the step that owns them (issue 11): the payee and the amount from
    the department's decision, or for funds the city approved (五.二) the city's amount and payer as its
    result was recorded (domain/fulfilment/municipal_result.py); the finance bureau may pay less, never more.
    Raise PayeeInvalid when the account cannot be paid into (a business outcome, not a retry); a process
    variable changed afterwards changes nothing.
    """
    with database.session_scope() as session:
        decision = DecisionService(session).for_case(case.ref)
        if decision is None or decision.result != "approved":
            raise LookupError(f"申报编号 {case.application_number} 没有予以兑现的审查结果记录，不能拨付")
        bank, account, approved = decision.payee_bank, decision.payee_account, decision.approved_amount
        department, policy = decision.department_group, decision.policy_code
        city = MunicipalResultService(session).for_case(case.ref)  # the city's record, never its variables
        from_city = city is not None and city.result == "approved" and city.payer == "county"
        ceiling = city.amount if from_city else approved
    to = payee(case.require("enterpriseName"), bank, account)
    amount = amount_to_pay(ceiling, case.get("disbursedAmount"))
    if ceiling is None or amount > ceiling:
        raise ValueError(f"拨付金额 {amount} 元超过核定金额 {ceiling} 元（R19），不能下达")
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
            policy_code=policy,
            department_group=department,
            amount=amount,
            payee_name=to.name,
            payee_bank=to.bank,
            payee_account=to.account,
            document_reference=reference,
        )
        return PaymentOrdered(order.id, reference)
