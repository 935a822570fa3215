"""CaseDriver: walk one case through the engine's REST API as the real users, stage by stage.

Every task is completed with fields of its deployed form only (tests/support/forms.py), as
Tasklist submits them; outside parties (the web UI, the bank, the city) send their messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pycamunda.message
import pycamunda.processdef
import pycamunda.task

from devstack.waiting import wait_for
from domain.applications.intake import Intake
from domain.cases import EXTENSION_PROCESS_KEY, PROCESS_KEY
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from domain.engine.errors import EngineNotFound, EngineRequestError
from domain.engine.history import HistoryReader
from domain.engine.tasks import TaskGateway
from domain.engine.variables import to_camunda
from domain.fulfilment.announcements import AnnouncementService, RaisedObjection
from domain.fulfilment.models import Announcement
from domain.fulfilment.objections import raise_objection
from tests.support.forms import check_start_fields, check_task_fields

# What the window types into the start form for every test case (the policy comes with each test).
APPLICATION = {
    "enterpriseName": "福兴科技有限公司",
    "creditCode": "91350100M000100Y43",
    "contactName": "张三",
    "contactPhone": "13800000000",
    "applicationSummary": "申请高新技术企业认定奖励",
}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"  # a material as the window scans it
WINDOW = "window-clerk"
FINANCE = "finance-clerk"


def new_business_key() -> str:
    """A unique application number, so tests never see each other's cases."""
    return f"HQ-T-{uuid.uuid4().hex[:10].upper()}"


class CaseDriver:
    def __init__(
        self,
        admin: EngineClient,
        service: EngineClient,
        as_user: Callable[[str], EngineClient],
        counter: Intake | None = None,
    ) -> None:
        self.admin = admin
        self.service = service
        self.as_user = as_user
        self.counter = counter  # the product's intake, as the window's case page and the 公示 page call it
        self.typed_key = new_business_key()  # what a clerk may type into Tasklist's start dialog: never trusted
        self._key: str | None = None
        self.instance_id = ""
        self.timeout = 15.0  # seconds to wait for the workers at each step

    @property
    def key(self) -> str:
        """The case's application number, as the product gave it at acceptance (waits for it)."""
        if self._key is None:
            self._key = wait_for(
                lambda: self.instance_id and self.variable("applicationNumber"),
                "the case's application number",
                timeout=self.timeout,
            )
        return self._key

    @key.setter
    def key(self, number: str) -> None:
        self._key = number

    # -- acceptance (R1–R4) -----------------------------------------------------------------------

    def start(
        self, policy_code: str | None = None, by: str = WINDOW, process_key: str = PROCESS_KEY, **variables: Any
    ) -> CaseDriver:
        """Start an instance of the process as the user, through its start form.

        A case (PROCESS_KEY): the window accepts the test application for this policy (R1), with
        a business key typed as a clerk may (the product replaces it with the number it draws). Any other
        process: just the given variables.
        """
        business_key = None
        if process_key == PROCESS_KEY:
            assert policy_code, "a case is an application for a policy"
            variables = {**APPLICATION, "policyCode": policy_code, **variables}
            business_key = self.typed_key
        check_start_fields(process_key, variables)
        client = self.as_user(by)
        request = pycamunda.processdef.StartInstance(client.url, key=process_key, business_key=business_key)
        for name, value in variables.items():
            typed = to_camunda(value)
            request.add_variable(name, typed["value"], typed.get("type"))
        self.instance_id = client.call(request).id_
        return self

    def accept(self, policy_code: str, **variables: Any) -> CaseDriver:
        """The window accepts an application with every material of the guide (R1, R2): it ticks every
        material the form offers (none for a policy the catalogue does not know)."""
        self.start(policy_code, **variables)
        self.task("check_completeness", WINDOW)
        offered = [item["value"] for item in self.variable_json("requiredMaterials") or []]
        self.complete("check_completeness", WINDOW, providedMaterials=offered)
        return self

    def qualify(self, policy_code: str, reviewer: str, **variables: Any) -> CaseDriver:
        """Accepted, routed, and found qualified in the preliminary review (R3, R4)."""
        self.accept(policy_code, **variables)
        self.complete(
            "preliminary_review", reviewer, preliminaryResult="qualified", preliminaryOpinion="材料齐全，符合申报条件"
        )
        return self

    def supplement(self, materials: list[str] | None = None) -> None:
        """The enterprise brings the missing materials to the counter and the window records them on the
        case's page (R2, R5, R16): the product's intake, exactly as for an online supplement."""
        assert self.counter is not None, "the driver needs the product's intake for a supplement"
        gateway = CaseGateway(self.admin)
        wait_for(lambda: gateway.waits_for_supplement(self.instance_id), "the case to wait for a supplement")
        codes = materials or [item["value"] for item in self.variable_json("requiredMaterials") or []][:1]
        files = {code: (f"{code}.pdf", io.BytesIO(PDF)) for code in codes}
        self.counter.supplement_at_counter(self.key, WINDOW, files)

    # -- decision and fulfilment (R6–R10, R19, R20) -----------------------------------------------

    def decide(
        self, reviewer: str, opinion: str, *, decision: str = "approved", amount: float | None = None, **fields: Any
    ) -> None:
        """The department's result on the decide form (R6, R7); ``amount`` for an approved funding case."""
        if amount is not None:
            fields["approvedAmount"] = amount
        self.complete("decide", reviewer, decision=decision, decisionOpinion=opinion, **fields)

    def announce(self) -> None:
        """The 公示 ends: its objection-period timer fires (R20), executed through REST."""
        self.fire_timer("objection_period_over")

    def raise_objection(self, name: str, text: str, contact: str = "13900000000") -> None:
        """Someone objects during the 公示 (R20), as the public 公示 page does it."""
        assert self.counter is not None, "the driver needs the product's database for an objection"
        database = self.counter.database
        wait_for(lambda: self._announcement(database), "the 公示")
        gateway, tasks = CaseGateway(self.admin), TaskGateway(self.admin)

        def taking() -> bool:  # waiting for one, or handling one (a second is added to it)
            open_keys = {t.definition_key for t in tasks.open_tasks(self.instance_id)}
            return gateway.waits_for_objection(self.instance_id) or "resolve_objection" in open_keys

        wait_for(taking, "the case to take objections")
        raise_objection(
            database, CaseGateway(self.service), TaskGateway(self.service), self._announcement(database),
            RaisedObjection(name, contact, text),
        )  # fmt: skip

    def _announcement(self, database: Database) -> Announcement | None:
        with database.session_scope() as session:
            found = AnnouncementService(session).for_case(self.instance_id)
            if found is not None:
                session.expunge(found)
            return found

    def resolve_objection(self, reviewer: str, resolution: str, *, upheld: bool) -> None:
        """The department upholds or dismisses the objection (R20)."""
        self.complete(
            "resolve_objection",
            reviewer,
            objectionUpheld="upheld" if upheld else "dismissed",
            objectionResolution=resolution,
        )

    def approve_disbursement(self, amount: float, opinion: str = "同意") -> None:
        """The finance bureau approves the disbursement (R9, R19)."""
        self.complete(
            "approve_disbursement",
            FINANCE,
            disbursementDecision="approve",
            disbursedAmount=amount,
            financeOpinion=opinion,
        )

    def confirm_payment(self, bank_reference: str, amount: float | None = None, on: str | None = None) -> None:
        """The finance bureau records the arrival of the funds from the bank's slip, in Tasklist (R9, R19);
        ``amount`` defaults to the payment order's."""
        self.complete(
            "record_funds_arrival",
            FINANCE,
            bankReference=bank_reference,
            arrivedOn=on or dt.date.today().isoformat(),
            confirmedAmount=amount if amount is not None else self.variable("disbursedAmount"),
        )

    def disburse(self, amount: float, bank_reference: str, opinion: str = "同意") -> None:
        """The finance bureau approves, then the bank confirms the payment (R9, R19)."""
        self.approve_disbursement(amount, opinion)
        self.confirm_payment(bank_reference)

    def recognise(self, reviewer: str, title: str) -> None:
        """The department issues the recognition document (R8)."""
        self.complete("issue_recognition", reviewer, recognitionTitle=title)

    def report(self, reviewer: str, department: str, summary: str) -> None:
        """The department reports the case to the municipal department (R10)."""
        self.complete("report_to_municipal", reviewer, municipalDepartment=department, reportSummary=summary)

    def municipal_answer(
        self, reviewer: str, result: str, opinion: str, document: str = "市审〔2026〕1号", **funds: Any
    ) -> None:
        """The department records the city's written result in Tasklist (R10); ``funds``: municipalAmount and
        municipalPayer for an approved funding case."""
        self.complete(
            "record_municipal_result",
            reviewer,
            municipalResult=result,
            municipalOpinion=opinion,
            municipalDocumentNumber=document,
            **funds,
        )

    def give_feedback(self, channel: str = "portal") -> CaseDriver:
        """The window confirms the feedback to the enterprise (R12); the case ends."""
        self.complete("confirm_feedback", WINDOW, feedbackChannel=channel, feedbackConfirmed=True)
        return self.wait_ended()

    def request_extension(self, by: str, days: int, reason: str) -> CaseDriver:
        """R11: the user asks for more time on this case; returns the driver of the request's process."""
        request = CaseDriver(self.admin, self.service, self.as_user)
        request.key = self.key if self.instance_id else self.typed_key  # a number of no case: as typed
        return request.start(
            by=by,
            process_key=EXTENSION_PROCESS_KEY,
            applicationNumber=request.key,
            requestedWorkingDays=days,
            extensionReason=reason,
        )

    # -- any task, message or timer ---------------------------------------------------------------

    def task(self, definition_key: str, user: str) -> pycamunda.task.Task:
        """Wait until the user sees the case's task of this definition; return it."""
        client = self.as_user(user)

        def visible():
            request = pycamunda.task.GetList(
                client.url, process_instance_id=self.instance_id, task_definition_key=definition_key
            )
            found = list(client.call(request))
            if not found:
                self.run_async_continuations()
            return found

        return wait_for(visible, f"{definition_key} for {user}", timeout=self.timeout)[0]

    def run_async_continuations(self) -> None:
        """Do the job executor's part for the case's asynchronous steps (the inclusive join).

        The test engine's job executor is off so that timers fire only when a test says; its other jobs,
        continuations that production runs at once, are executed here. Timer jobs are never touched."""
        for job in self.admin.get("/job", processInstanceId=self.instance_id, messages="true"):
            # Executed meanwhile, or refused for a concurrent change: the next look retries.
            with contextlib.suppress(EngineNotFound, EngineRequestError):
                self.admin.post(f"/job/{job['id']}/execute")

    def complete(self, definition_key: str, user: str, **variables: Any) -> None:
        """The user completes the case's task, as Tasklist does with the form's values."""
        check_task_fields(definition_key, variables)
        task = self.task(definition_key, user)
        complete_task(self.as_user(user), task.id_, **variables)

    def fire_timer(self, activity_id: str) -> None:
        """Execute the timer job of this activity through REST (never sleep for a timer)."""
        jobs = wait_for(
            lambda: self.admin.get("/job", processInstanceId=self.instance_id, activityId=activity_id),
            f"the timer {activity_id}",
        )
        self.admin.post(f"/job/{jobs[0]['id']}/execute")

    # -- reading ----------------------------------------------------------------------------------

    def path(self) -> list[str]:
        """Ids of the activities the case went through, in order (from the engine's history)."""
        return HistoryReader(self.admin).path(self.instance_id)

    def variable(self, name: str) -> Any:
        found = self.admin.get(
            "/history/variable-instance",
            processInstanceId=self.instance_id,
            variableName=name,
            deserializeValues="false",
        )
        return found[-1]["value"] if found else None

    def variable_json(self, name: str) -> Any:
        value = self.variable(name)
        return json.loads(value) if isinstance(value, str) else value

    def wait_ended(self) -> CaseDriver:
        wait_for(
            lambda: self.admin.get(f"/history/process-instance/{self.instance_id}")["state"] == "COMPLETED",
            "the case to end",
            timeout=self.timeout,
        )
        return self

    def wait_for_activity(self, activity_id: str) -> None:
        def reached() -> bool:
            if activity_id in self.path():
                return True
            self.run_async_continuations()
            return False

        wait_for(reached, f"the case to reach {activity_id}")

    def incidents(self) -> list[dict]:
        return self.admin.get("/incident", processInstanceId=self.instance_id)

    def candidate_groups(self, task_id: str) -> set[str]:
        links = self.admin.get(f"/task/{task_id}/identity-links", type="candidate")
        return {link["groupId"] for link in links if link.get("groupId")}


# The engine refused a completion because a worker changed the case or the task at the same moment (optimistic
# locking): Tasklist shows the message and the user clicks 完成 again. So does the driver, a few times.
CONCURRENT_CHANGE = "ENGINE-03005"


def complete_task(client: EngineClient, task_id: str, **variables: Any) -> None:
    request = pycamunda.task.Complete(client.url, id_=task_id)
    for name, value in variables.items():
        typed = to_camunda(value)
        request.add_variable(name, typed["value"], typed.get("type"))
    for attempt in range(3):
        try:
            client.call(request)
            return
        except EngineRequestError as exc:
            if CONCURRENT_CHANGE not in str(exc) or attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))  # a user's second click, not a timer: nothing waits on a clock here
