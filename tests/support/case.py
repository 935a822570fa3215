"""CaseDriver: walk one case of policy_fulfilment through the engine's REST API as the real users."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pycamunda.message
import pycamunda.processdef
import pycamunda.task

from domain.engine import EngineClient
from tests.support.policies import ALL_MATERIALS
from tests.support.process import APPLICATION, PROCESS_KEY, activity_path, new_business_key
from tests.support.waiting import wait_for
from workers.variables import to_camunda


class CaseDriver:
    def __init__(self, admin: EngineClient, service: EngineClient, as_user: Callable[[str], EngineClient]) -> None:
        self.admin = admin
        self.service = service
        self.as_user = as_user
        self.key = new_business_key()
        self.instance_id = ""
        self.timeout = 15.0  # seconds to wait for the workers at each step

    # -- actions ----------------------------------------------------------------------------------

    def start(self, policy_code: str, by: str = "window-clerk", **variables: Any) -> CaseDriver:
        """The window accepts an application (R1)."""
        client = self.as_user(by)
        request = pycamunda.processdef.StartInstance(client.url, key=PROCESS_KEY, business_key=self.key)
        for name, value in {**APPLICATION, "policyCode": policy_code, **variables}.items():
            typed = to_camunda(value)
            request.add_variable(name, typed["value"], typed.get("type"))
        self.instance_id = client.call(request).id_
        return self

    def accept(self, policy_code: str, **variables: Any) -> CaseDriver:
        """The window accepts an application with every material of the guide (R1, R2)."""
        self.start(policy_code, **variables)
        self.complete("check_completeness", "window-clerk", providedMaterials=ALL_MATERIALS)
        return self

    def qualify(self, policy_code: str, reviewer: str, **variables: Any) -> CaseDriver:
        """Accepted, routed, and found qualified in the preliminary review (R3, R4)."""
        self.accept(policy_code, **variables)
        self.complete(
            "preliminary_review", reviewer, preliminaryResult="qualified", preliminaryOpinion="材料齐全，符合申报条件"
        )
        return self

    def task(self, definition_key: str, user: str) -> pycamunda.task.Task:
        """Wait until the user sees the case's task of this definition; return it."""
        client = self.as_user(user)

        def visible():
            request = pycamunda.task.GetList(
                client.url, process_instance_id=self.instance_id, task_definition_key=definition_key
            )
            return list(client.call(request))

        return wait_for(visible, f"{definition_key} for {user}", timeout=self.timeout)[0]

    def complete(self, definition_key: str, user: str, **variables: Any) -> None:
        """The user completes the case's task, as Tasklist does with the form's values."""
        client = self.as_user(user)
        task = self.task(definition_key, user)
        complete_task(client, task.id_, **variables)

    def correlate(self, message: str, **variables: Any) -> None:
        """An outside party's message (the web UI, the bank, the municipal department)."""
        # By the application number, as for a case the window started in Tasklist without a business key.
        request = pycamunda.message.CorrelateSingle(self.service.url, message_name=message, result_enabled=True)
        request.add_correlation_key("applicationNumber", self.key)
        for name, value in variables.items():
            typed = to_camunda(value)
            request.add_process_variable(name, typed["value"], typed.get("type"))
        wait_for(lambda: self._waits_for(message), f"the case to wait for {message}")
        self.service.call(request)

    def fire_timer(self, activity_id: str) -> None:
        """Execute the timer job of this activity through REST (never sleep for a timer)."""
        jobs = wait_for(
            lambda: self.admin.get("/job", processInstanceId=self.instance_id, activityId=activity_id),
            f"the timer {activity_id}",
        )
        self.admin.post(f"/job/{jobs[0]['id']}/execute")

    # -- reading ----------------------------------------------------------------------------------

    def path(self) -> list[str]:
        return activity_path(self.admin, self.instance_id)

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
        wait_for(lambda: activity_id in self.path(), f"the case to reach {activity_id}")

    def incidents(self) -> list[dict]:
        return self.admin.get("/incident", processInstanceId=self.instance_id)

    def candidate_groups(self, task_id: str) -> set[str]:
        links = self.admin.get(f"/task/{task_id}/identity-links", type="candidate")
        return {link["groupId"] for link in links if link.get("groupId")}

    def _waits_for(self, message: str) -> bool:
        return bool(
            self.admin.get("/execution", processInstanceId=self.instance_id, messageEventSubscriptionName=message)
        )


def complete_task(client: EngineClient, task_id: str, **variables: Any) -> None:
    request = pycamunda.task.Complete(client.url, id_=task_id)
    for name, value in variables.items():
        typed = to_camunda(value)
        request.add_variable(name, typed["value"], typed.get("type"))
    client.call(request)
