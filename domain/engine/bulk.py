"""BulkCases: many cases at once through the engine's own APIs, for benchmarks and data loads (bench/, P3); and
a department's task list as Tasklist pages it.

A case is started directly at a step (``startInstructions``: no listeners, no input mappings, its variables given),
and many cases are moved from one step to another in one synchronous modification (one transaction per call, no
job executor needed). History times are the real times of these calls: nothing here back-dates a case.
"""

from __future__ import annotations

from typing import Any

from domain.cases import PROCESS_KEY
from domain.engine.client import EngineClient
from domain.engine.tasks import OpenTask, _task
from domain.engine.variables import to_camunda_all

_SKIP = {"skipCustomListeners": True, "skipIoMappings": True}


class BulkCases:
    """Start cases of the case process at a step and move them in batches (the administrator's rights)."""

    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def definition_id(self) -> str:
        """The id of the latest deployed version of the case process."""
        return self.client.get(f"/process-definition/key/{PROCESS_KEY}")["id"]

    def start_at(self, activity_id: str, business_key: str, variables: dict[str, Any]) -> str:
        """Start one case waiting before ``activity_id`` with these variables; return its process instance id."""
        body = {
            "businessKey": business_key,
            "variables": to_camunda_all(variables),
            "startInstructions": [{"type": "startBeforeActivity", "activityId": activity_id}],
            **_SKIP,
        }
        return self.client.post(f"/process-definition/key/{PROCESS_KEY}/start", body)["id"]

    def move(self, definition_id: str, process_instance_ids: list[str], source: str, target: str) -> None:
        """Move every one of these cases from ``source`` (its activity instances cancelled) to before ``target``,
        in one synchronous modification; an end event as the target ends the cases there."""
        body = {
            "processDefinitionId": definition_id,
            "processInstanceIds": process_instance_ids,
            "instructions": [
                {"type": "startBeforeActivity", "activityId": target},
                {"type": "cancel", "activityId": source, "cancelCurrentActiveActivityInstances": True},
            ],
            **_SKIP,
        }
        self.client.post("/modification/execute", body)

    def running_count(self) -> int:
        """Running cases of the case process."""
        return self.client.get("/process-instance/count", processDefinitionKey=PROCESS_KEY)["count"]

    def external_tasks_count(self) -> int:
        """External tasks of the case process not yet completed: waiting for a worker or locked by one."""
        return self.client.get("/external-task/count", processDefinitionKey=PROCESS_KEY)["count"]

    def finished_count(self) -> int:
        """Ended cases of the case process (the history)."""
        return self.client.get("/history/process-instance/count", processDefinitionKey=PROCESS_KEY, finished="true")[
            "count"
        ]


class GroupTasks:
    """A group's open tasks as Tasklist lists them: a page by due date, and their count (as the client's user)."""

    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def page(self, group_id: str, size: int = 15) -> list[OpenTask]:
        found = self.client.get("/task", candidateGroup=group_id, sortBy="dueDate", sortOrder="asc", maxResults=size)
        return [_task(raw) for raw in found]

    def count(self, group_id: str) -> int:
        return self.client.get("/task/count", candidateGroup=group_id)["count"]
