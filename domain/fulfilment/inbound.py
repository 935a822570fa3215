"""Taking a signed callback from the bank (R9, R19) or the city (R10) into its case.

Read what is needed and close the transaction, deliver the message to the engine, then write the
idempotency key and the audit entry: no engine call while a transaction is open. Every attempt,
taken or refused, goes into the audit trail; a refused one changes nothing else.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from domain.audit.services import audit
from domain.cases import CaseRef, Message
from domain.config import CallbackSettings
from domain.db import Database
from domain.engine.cases import CaseGateway, NotWaiting
from domain.fulfilment.callbacks import (
    CallbackRefused,
    MunicipalAnswer,
    PaymentReport,
    SignedCall,
    parse_json,
    remember,
    seen,
    verify,
)
from domain.fulfilment.municipal_result import MunicipalResultService
from domain.fulfilment.services import PaymentOrderService

ACTOR = {"payment": "bank-callback", "municipal": "municipal-callback"}


def claimed_number(body: bytes) -> str:
    """The application number a body claims to be about, or "?"."""
    try:
        return str(parse_json(body).get("applicationNumber") or "?")[:64]
    except CallbackRefused:
        return "?"


class InboundCallbacks:
    def __init__(self, database: Database, cases: CaseGateway, settings: CallbackSettings, now) -> None:
        self.database = database
        self.cases = cases
        self.settings = settings
        self.now = now  # () -> aware datetime (the business clock)

    def payment(self, call: SignedCall, body: bytes, address: str | None) -> dict[str, Any]:
        """The bank reports the arrival of a payment order's funds; whichever of it and the finance bureau's
        Tasklist task comes first ends the wait, the other finds it done (R9, R19)."""
        return self._take("payment", self.settings.payment_secret, call, body, address, self._payment)

    def municipal(self, call: SignedCall, body: bytes, address: str | None) -> dict[str, Any]:
        """The city's system posts its result on a reported case (R10)."""
        deliver = partial(self._municipal, idempotency_key=call.idempotency_key)
        return self._take("municipal", self.settings.municipal_secret, call, body, address, deliver)

    def _take(self, kind, secret, call: SignedCall, body: bytes, address, deliver) -> dict[str, Any]:
        number = claimed_number(body)  # only what the audit entry is filed under: nothing is trusted yet
        try:
            verify(secret, self.settings.window_seconds, call, body, time.time())
            data = parse_json(body)
            with self.database.session_scope() as session:
                if seen(session, call.idempotency_key):
                    raise CallbackRefused(
                        409, f"幂等键 {call.idempotency_key} 已使用过，本次请求视为重放，未作任何变更。"
                    )
            answer = deliver(data)
        except CallbackRefused as refused:
            self._audit(kind, "refused", number, call, address, status=refused.status, reason=refused.message)
            raise
        with self.database.session_scope() as session:
            remember(session, kind, call.idempotency_key, number, body, self.now())
            audit(
                session, "system", ACTOR[kind], f"callback.{kind}.accepted", number, address,
                idempotency_key=call.idempotency_key,
            )  # fmt: skip
        return answer

    def _audit(self, kind: str, outcome: str, number: str, call: SignedCall, address, **details) -> None:
        with self.database.session_scope() as session:
            audit(
                session, "system", ACTOR[kind], f"callback.{kind}.{outcome}", number, address,
                idempotency_key=call.idempotency_key[:120], **details,
            )  # fmt: skip

    def _payment(self, data: dict[str, Any]) -> dict[str, Any]:
        report = PaymentReport.parse(data)
        with self.database.session_scope() as session:
            order = PaymentOrderService(session).by_number(report.application_number)
            if order is None:
                raise CallbackRefused(404, f"未找到申报编号 {report.application_number} 的支付指令。")
            process_instance_id, ordered, confirmed = order.process_instance_id, order.amount, order.confirmed_at
        if confirmed is not None:
            raise CallbackRefused(409, f"申报编号 {report.application_number} 已登记到账，本次回调未作任何变更。")
        if not self.cases.waits_for(process_instance_id, Message.PAYMENT_CONFIRMED):
            raise CallbackRefused(409, f"申报编号 {report.application_number} 已登记到账或不在等待到账确认。")
        try:
            self.cases.confirm_payment(
                report.application_number,
                {
                    "bankReference": report.bank_reference,
                    "arrivedOn": report.arrived_on.isoformat(),
                    "confirmedAmount": float(report.amount),
                    "confirmationSource": "callback",
                },
            )
        except NotWaiting as exc:  # the finance bureau was quicker
            raise CallbackRefused(
                409, f"申报编号 {report.application_number} 已登记到账，本次回调未作任何变更。"
            ) from exc
        if report.amount != ordered:
            # Never silently accepted (R19): the case goes to the finance bureau's 核对到账金额 task.
            return {
                "status": "accepted",
                "message": f"已接收；到账金额 {report.amount} 元与支付指令金额 {ordered} 元不符，已转县财政局核对。",
                "applicationNumber": report.application_number,
            }
        return {"status": "accepted", "message": "已登记到账", "applicationNumber": report.application_number}

    def _municipal(self, data: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        answer = MunicipalAnswer.parse(data)
        process_instance_id = self.cases.find_running(answer.application_number)
        if process_instance_id is None:
            raise CallbackRefused(404, f"未找到申报编号 {answer.application_number} 的在办案件。")
        if not self.cases.waits_for(process_instance_id, Message.MUNICIPAL_RESULT_RECEIVED):
            raise CallbackRefused(409, f"申报编号 {answer.application_number} 已登记市级审查结果或未上报市级。")
        variables: dict[str, Any] = {
            "municipalResult": answer.result,
            "municipalOpinion": answer.opinion,
            "municipalDocumentNumber": answer.document_number,
        }
        if answer.amount is not None:
            variables |= {"municipalAmount": float(answer.amount), "municipalPayer": answer.payer}
        # Issue 11: the money facts are kept as the city's record before the case moves on; the payment
        # order pays from it, the variables are for the forms and the gateway only.
        case = CaseRef(process_instance_id, answer.application_number)
        with self.database.session_scope() as session:
            MunicipalResultService(session).record(
                case, answer.result, answer.document_number, answer.amount, answer.payer,
                source="callback", source_reference=idempotency_key, recorded_at=self.now(),
            )  # fmt: skip
        try:
            self.cases.municipal_result(answer.application_number, variables)
        except NotWaiting as exc:
            with self.database.session_scope() as session:
                MunicipalResultService(session).forget(case, idempotency_key)
            raise CallbackRefused(409, f"申报编号 {answer.application_number} 已登记市级审查结果。") from exc
        return {"status": "accepted", "message": "已登记市级审查结果", "applicationNumber": answer.application_number}
