"""Topic record_payment_confirmation: the bank's confirmation of the payment is recorded (R9, R19)."""

from __future__ import annotations

from domain.fulfilment.services import PaymentOrderService
from workers import resources
from workers.task import TaskContext

TOPIC = "record_payment_confirmation"


def handle(task: TaskContext) -> dict:
    with resources.database().session_scope() as session:
        order = PaymentOrderService(session).confirm(
            task.case().ref, bank_reference=task.var("bankReference"), confirmed_at=resources.clock().now()
        )
        return {"paymentConfirmedAt": order.confirmed_at}
