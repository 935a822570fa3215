"""CaseGateway: what the web UI asks of the engine about a case — start it, send it messages, read
its progress. Every call runs as the service account (the online window, R1)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pycamunda.message
import pycamunda.processdef

from domain.applications.models import Application
from domain.engine.client import EngineClient
from domain.engine.errors import EngineRequestError

PROCESS_KEY = "policy_fulfilment"
CAMUNDA_DATE = "%Y-%m-%dT%H:%M:%S.%f%z"

# The steps an enterprise sees on its timeline, in the words it reads.
VISIBLE_STEPS = {
    "application_received": "提交申请",
    "check_completeness": "专窗受理审查",
    "await_supplement": "等待企业补正材料",
    "supplement_received": "企业已补正材料",
    "preliminary_review": "部门初步审查",
    "await_correction": "等待企业补正材料",
    "correction_received": "企业已补正材料",
    "site_inspection": "现场核查",
    "expert_review#multiInstanceBody": "专家评审",
    "decide": "作出审查结果",
    "issue_recognition": "签发认定文件",
    "await_objection": "公示期",
    "approve_disbursement": "财政审核拨付",
    "payment_confirmed": "资金到账",
    "report_to_municipal": "上报市级主管部门",
    "await_municipal_result": "市级审查",
    "confirm_feedback": "专窗统一反馈",
    "case_closed": "办结",
}
WAITS_FOR_SUPPLEMENT = "materials_supplemented"


@dataclass(frozen=True)
class Step:
    name: str
    started: dt.datetime
    ended: dt.datetime | None
    due: dt.datetime | None

    @property
    def current(self) -> bool:
        return self.ended is None


def _date(value: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(value, CAMUNDA_DATE) if value else None


class CaseGateway:
    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def start(self, application: Application, material_codes: list[str], intake_by: str | None = None) -> str:
        """Start the case of this application (once: a second call returns the first instance)."""
        existing = self.client.get("/history/process-instance", processInstanceBusinessKey=application.number,
                                   processDefinitionKey=PROCESS_KEY)
        if existing:
            return existing[0]["id"]
        request = pycamunda.processdef.StartInstance(self.client.url, key=PROCESS_KEY, business_key=application.number)
        variables: dict[str, Any] = {
            "applicationNumber": application.number,
            "enterpriseName": application.enterprise_name,
            "creditCode": application.credit_code,
            "policyCode": application.policy_code,
            "guideVersion": application.guide_version,
            "contactName": application.contact_name,
            "contactPhone": application.phone,
            "contactEmail": application.email,
            "applicationSummary": application.summary,
            "payeeBank": application.payee_bank,
            "payeeAccount": application.payee_account,
            "submissionChannel": application.channel,
            "intakeBy": intake_by,
        }
        for name, value in variables.items():
            if value is not None:
                request.add_variable(name, value)
        # The window's checklist opens with what was uploaded ticked; the clerk checks each file.
        request.add_variable("providedMaterials", json_list(material_codes), "Json")
        return self.client.call(request).id_

    def waits_for_supplement(self, process_instance_id: str | None) -> bool:
        """Whether the case is waiting for the enterprise's supplement (R2, R5)."""
        if not process_instance_id:
            return False
        return bool(
            self.client.get("/execution", processInstanceId=process_instance_id,
                            messageEventSubscriptionName=WAITS_FOR_SUPPLEMENT)
        )

    def supplement(self, number: str, round_: int, material_codes: list[str]) -> None:
        """Tell the case the enterprise supplemented its materials (R2, R5)."""
        self._correlate(
            WAITS_FOR_SUPPLEMENT,
            number,
            {"supplementedRound": round_, "supplementedMaterials": (json_list(material_codes), "Json")},
        )

    def raise_objection(self, number: str, name: str, contact: str, text: str) -> None:
        """An objection against the case's public announcement (R20)."""
        self._correlate("objection_raised", number, {"objectorName": name, "objectorContact": contact,
                                                     "objectionText": text})

    def timeline(self, process_instance_id: str) -> list[Step]:
        """The enterprise-visible steps of the case, oldest first, with due dates."""
        activities = self.client.get("/history/activity-instance", processInstanceId=process_instance_id,
                                     sortBy="occurrence", sortOrder="asc")
        dues = {t["activityInstanceId"]: _date(t.get("due"))
                for t in self.client.get("/history/task", processInstanceId=process_instance_id)}
        inner_dues: dict[str, list[dt.datetime]] = {}  # a multi-instance body → the dues of its instances
        for activity in activities:
            if due := dues.get(activity["id"]):
                inner_dues.setdefault(activity.get("parentActivityInstanceId"), []).append(due)
        steps = []
        for activity in activities:
            name = VISIBLE_STEPS.get(activity["activityId"])
            if name is None:
                continue
            due = dues.get(activity["id"])
            if activity["activityId"].endswith("#multiInstanceBody"):
                due = min(inner_dues.get(activity["id"], []), default=None)
            steps.append(Step(name, _date(activity["startTime"]), _date(activity.get("endTime")), due))
        return steps

    def outcome(self, process_instance_id: str) -> str | None:
        found = self.client.get("/history/variable-instance", processInstanceId=process_instance_id,
                                variableName="outcome")
        return found[0]["value"] if found else None

    def _correlate(self, message: str, number: str, variables: dict[str, Any]) -> None:
        request = pycamunda.message.CorrelateSingle(self.client.url, message_name=message, result_enabled=True)
        request.add_correlation_key("applicationNumber", number)
        for name, value in variables.items():
            if isinstance(value, tuple):
                request.add_process_variable(name, value[0], value[1])
            else:
                request.add_process_variable(name, value)
        try:
            self.client.call(request)
        except EngineRequestError as exc:
            raise NotWaiting(f"申报编号 {number} 当前不接收此项操作（{message}）。") from exc


class NotWaiting(Exception):
    """The case is not at a point where it takes this message."""


def json_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)
