"""Topic dispatch_payment: the numbered payment order of the approved amount (R9, R19), one per case.

An unusable payee account is a business problem: BPMN error ``payee_invalid`` returns the case to
the department, not a retry loop.
"""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.fulfilment.disbursement import order_payment
from domain.fulfilment.payment import PayeeInvalid
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "dispatch_payment"


def handle(task: TaskContext) -> dict:
    try:
        ordered = order_payment(resources.database(), task.case(), resources.clock().today().year)
    except PayeeInvalid as exc:
        raise BusinessError("payee_invalid", str(exc)) from exc
    arrival = due(resources.calendar(), Deadline.FUNDS_ARRIVAL, resources.clock().today())  # R19: the finance bureau
    return {"paymentOrderId": ordered.order_id, "paymentOrderReference": ordered.reference, "arrivalDue": arrival}
