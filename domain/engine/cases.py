"""CaseGateway: start a case, send it the messages it waits for, find a running one and its variables.

Every call runs as the account of the client it is given (the web UI: the service account, R1).
"""

from __future__ import annotations

import time
from typing import Any

import pycamunda.message
import pycamunda.processdef

from domain.cases import CORRELATION_KEY, PROCESS_KEY, Message, NewCase, declared
from domain.engine.client import EngineClient
from domain.engine.errors import EngineRequestError, EngineUnavailable
from domain.engine.variables import from_camunda, to_camunda

LOOK_AGAIN_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)  # after a start without an answer: 15.5 s in all, then refused


class NotWaiting(Exception):
    """The case is not at a point where it takes this message."""


class CaseGateway:
    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def start(self, case: NewCase, first: bool = False) -> str:
        """Start the case of this application (once: a second call returns the first instance).

        ``first``: the caller knows that no start of this case was ever asked for (the application was filed
        with its start claimed, domain/applications/intake.py), so there is no earlier instance to look for.
        """
        if not first:
            existing = self.client.get(
                "/history/process-instance",
                processInstanceBusinessKey=case.application_number,
                processDefinitionKey=PROCESS_KEY,
            )
            if existing:
                return existing[0]["id"]
        request = pycamunda.processdef.StartInstance(
            self.client.url, key=PROCESS_KEY, business_key=case.application_number
        )
        for name, value in case.variables().items():
            typed = to_camunda(value)
            request.add_variable(name, typed["value"], typed.get("type"))
        try:
            return self.client.call(request).id_
        except EngineUnavailable as exc:
            if not exc.maybe_done:
                raise
            found = self._started_meanwhile(case.application_number)  # the engine may have started it anyway
            if found is None:
                raise
            return found

    def _started_meanwhile(self, application_number: str) -> str | None:
        """The case of this application, if a start the caller gave up on reached the engine: looked for a few
        times over some seconds (a slow start commits late), so that a retry never starts a second case."""
        for wait in LOOK_AGAIN_SECONDS:
            time.sleep(wait)
            try:
                found = self.client.get("/history/process-instance", processInstanceBusinessKey=application_number,
                                        processDefinitionKey=PROCESS_KEY)  # fmt: skip
            except EngineUnavailable:
                continue
            if found:
                return found[0]["id"]
        return None

    def waits_for(self, process_instance_id: str | None, message: Message) -> bool:
        """Whether the case is waiting for this message now."""
        if not process_instance_id:
            return False
        return bool(
            self.client.get(
                "/execution", processInstanceId=process_instance_id, messageEventSubscriptionName=message.value
            )
        )

    def waits_for_supplement(self, process_instance_id: str | None) -> bool:
        """Whether the case is waiting for the enterprise's supplement (R2, R5)."""
        return self.waits_for(process_instance_id, Message.MATERIALS_SUPPLEMENTED)

    def waits_for_objection(self, process_instance_id: str | None) -> bool:
        """Whether the case is in its objection period, waiting for an objection (R20)."""
        return self.waits_for(process_instance_id, Message.OBJECTION_RAISED)

    def supplement(self, number: str, round_: int, material_codes: list[str]) -> None:
        """Tell the case the enterprise supplemented its materials (R2, R5)."""
        self.correlate(
            Message.MATERIALS_SUPPLEMENTED,
            number,
            {"supplementedRound": round_, "supplementedMaterials": sorted(material_codes)},
        )

    def raise_objection(self, number: str, name: str, contact: str, text: str) -> None:
        """An objection against the case's public announcement (R20)."""
        self.correlate(
            Message.OBJECTION_RAISED,
            number,
            {"objectorName": name, "objectorContact": contact, "objectionText": text},
        )

    def confirm_payment(self, number: str, variables: dict[str, Any]) -> None:
        """The bank reports the arrival of the case's funds (R9, R19; the signed callback)."""
        self.correlate(Message.PAYMENT_CONFIRMED, number, variables)

    def municipal_result(self, number: str, variables: dict[str, Any]) -> None:
        """The city's result on the reported case (R10; the signed callback)."""
        self.correlate(Message.MUNICIPAL_RESULT_RECEIVED, number, variables)

    def correlate(self, message: Message, number: str, variables: dict[str, Any]) -> None:
        """Deliver the message to the case with this application number, or raise NotWaiting."""
        request = pycamunda.message.CorrelateSingle(self.client.url, message_name=message.value, result_enabled=True)
        request.add_correlation_key(CORRELATION_KEY, number)
        for name, value in variables.items():
            typed = to_camunda(value)
            request.add_process_variable(name, typed["value"], typed.get("type"))
        try:
            self.client.call(request)
        except EngineRequestError as exc:
            raise NotWaiting(f"申报编号 {number} 当前不接收此项操作（{message.value}）。") from exc

    def running(self) -> list[tuple[str, str | None]]:
        """Every running case: (process instance id, business key = application number)."""
        found, first, page = [], 0, 500
        while True:
            batch = self.client.get(
                "/process-instance", processDefinitionKey=PROCESS_KEY, firstResult=first, maxResults=page
            )
            found += [(case["id"], case.get("businessKey")) for case in batch]
            if len(batch) < page:
                return found
            first += page

    def find_running(self, number: str) -> str | None:
        """The running case with this application number, or None."""
        found = self.client.get(
            "/process-instance", processDefinitionKey=PROCESS_KEY, variables=f"{CORRELATION_KEY}_eq_{number}"
        )
        return found[0]["id"] if found else None

    def variables(self, process_instance_id: str) -> dict[str, Any]:
        """Every variable of a running case, as Python values."""
        typed = self.client.get(f"/process-instance/{process_instance_id}/variables", deserializeValues="false")
        return {name: from_camunda(value) for name, value in typed.items()}

    def set_variable(self, process_instance_id: str, name: str, value: Any) -> None:
        """Set a declared variable of a running case (what its open forms then show)."""
        self.client.put(
            f"/process-instance/{process_instance_id}/variables/{declared(name)}", to_camunda(value)
        )

    def variable(self, process_instance_id: str, name: str) -> Any:
        typed = self.client.get(
            f"/process-instance/{process_instance_id}/variables/{declared(name)}", deserializeValue="false"
        )
        return from_camunda(typed)
