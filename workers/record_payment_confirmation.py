"""Topic record_payment_confirmation: the bank's confirmation of the payment is recorded (R9, R19)."""

from __future__ import annotations

from domain.fulfilment.services import PaymentOrderService
from workers import resources
from workers.task import TaskContext

TOPIC = "record_payment_confirmation"


def handle(task: TaskContext) -> dict:
    with resources.database().session_scope() as session:
        arrived = task.optional("paymentConfirmedAt")  # the bank's date of arrival, when it reported one
        order = PaymentOrderService(session).confirm(
            task.case().ref,
            bank_reference=task.var("bankReference"),
            confirmed_at=resources.clock().now(),
            confirmed_on=arrived.date() if arrived is not None else None,
            amount=task.optional("confirmedAmount"),
            source=task.optional("confirmationSource", "tasklist"),
        )
        return {"paymentConfirmedAt": order.confirmed_at}
