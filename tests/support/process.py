"""Drive the policy_fulfilment process through REST as a given user (pycamunda requests)."""

from __future__ import annotations

import uuid
from typing import Any

import pycamunda.processdef
import pycamunda.task

from domain.engine import EngineClient

PROCESS_KEY = "policy_fulfilment"

APPLICATION = {
    "enterpriseName": "福兴科技有限公司",
    "creditCode": "91350100M000100Y43",
    "policyCode": "KJ-2026-001",
    "contactName": "张三",
    "contactPhone": "13800000000",
    "applicationSummary": "申请高新技术企业认定奖励",
}


def new_business_key() -> str:
    """A unique application number, so tests never see each other's cases."""
    return f"HQ-T-{uuid.uuid4().hex[:10].upper()}"


def start_case(client: EngineClient, business_key: str, **variables: Any) -> str:
    """Start a case as the client's user; return the process instance id."""
    request = pycamunda.processdef.StartInstance(client.url, key=PROCESS_KEY, business_key=business_key)
    for name, value in {**APPLICATION, **variables}.items():
        request.add_variable(name, value)
    return client.call(request).id_


def tasks_of(client: EngineClient, business_key: str) -> list[pycamunda.task.Task]:
    """The open user tasks of this case that the client's user can see."""
    request = pycamunda.task.GetList(client.url, process_instance_business_key=business_key)
    return list(client.call(request))


def activity_path(admin: EngineClient, process_instance_id: str) -> list[str]:
    """Ids of the activities the case went through, in order (from the engine's history)."""
    activities = admin.get(
        "/history/activity-instance",
        processInstanceId=process_instance_id,
        sortBy="occurrence",
        sortOrder="asc",
    )
    return [a["activityId"] for a in activities if a["activityType"] not in ("lane", "participant")]
