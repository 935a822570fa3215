"""Topic record_payment_confirmation: the arrival of the funds, as the finance bureau recorded it in
Tasklist or the bank's system reported it, checked against the payment order (R9, R19).

An amount that differs goes to the finance bureau (核对到账金额), never silently accepted; the amount
it then confirms is recorded, with its note, in the audit trail.
"""

from __future__ import annotations

import datetime as dt

from domain.deadlines import Deadline, due
from domain.fulfilment.services import PaymentOrderService
from workers import resources
from workers.task import TaskContext

TOPIC = "record_payment_confirmation"


def handle(task: TaskContext) -> dict:
    case = task.case()
    now = resources.clock().now()
    with resources.database().session_scope() as session:
        payments = PaymentOrderService(session)
        reconciled = task.optional("reconciledAmount")
        if reconciled is not None and payments.confirmed(case.ref):
            order = payments.reconcile(case.ref, reconciled, task.var("reconciliationNote"), now)
            return {"arrivalMatches": True, "paymentConfirmedAt": order.confirmed_at}
        order = payments.confirm(
            case.ref,
            bank_reference=task.var("bankReference"),
            confirmed_at=now,
            confirmed_on=arrival_day(task),
            amount=task.optional("confirmedAmount"),
            source=task.optional("confirmationSource", "tasklist"),
        )
        matches = order.confirmed_amount == order.amount
    variables: dict = {"paymentConfirmedAt": order.confirmed_at, "arrivalMatches": matches}
    if not matches:
        variables["reconcileDue"] = due(resources.calendar(), Deadline.RECONCILIATION, now.date())
    return variables


def arrival_day(task: TaskContext) -> dt.date | None:
    """The bank's day of arrival: the finance bureau's 到账日期, or the day the bank's system reported."""
    arrived = task.optional("arrivedOn")
    if isinstance(arrived, dt.datetime):
        return arrived.date()
    if arrived:
        return dt.date.fromisoformat(str(arrived)[:10])  # the form sends yyyy-mm-dd (checked by the engine)
    reported = task.optional("paymentConfirmedAt")
    return reported.date() if reported is not None else None
