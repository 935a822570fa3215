"""TaskGateway: the engine's open user tasks, their due dates, timer jobs, identity links and people.

Typed answers (:class:`OpenTask`, :class:`TimerJob`) so that callers never read the REST JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from domain.cases import PROCESS_KEY, declared
from domain.engine.client import EngineClient
from domain.engine.errors import EngineError, EngineNotFound
from domain.engine.variables import format_date, parse_date, to_camunda_all

# The fields PUT /task/{id} sets: all of them, since a missing one would be cleared.
_TASK_FIELDS = (
    "name", "description", "assignee", "owner", "delegationState", "followUp", "priority",
    "parentTaskId", "caseInstanceId", "tenantId",
)  # fmt: skip


@dataclass(frozen=True)
class OpenTask:
    id: str
    name: str
    definition_key: str
    process_instance_id: str
    created: dt.datetime
    due: dt.datetime | None
    assignee: str | None


@dataclass(frozen=True)
class TimerJob:
    id: str
    due: dt.datetime | None


def _task(raw: dict) -> OpenTask:
    return OpenTask(
        id=raw["id"],
        name=raw.get("name") or raw.get("taskDefinitionKey", ""),
        definition_key=raw.get("taskDefinitionKey", ""),
        process_instance_id=raw.get("processInstanceId", ""),
        created=parse_date(raw.get("created")),
        due=parse_date(raw.get("due")),
        assignee=raw.get("assignee"),
    )


class TaskGateway:
    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def open_tasks(self, process_instance_id: str) -> list[OpenTask]:
        """The open user tasks of one case."""
        return [_task(t) for t in self.client.get("/task", processInstanceId=process_instance_id)]

    def open_tasks_of_cases(self, limit: int = 5000) -> list[OpenTask]:
        """Every open user task of the case process this client may see, oldest first (benchmarks, Tasklist's view)."""
        found = self.client.get(
            "/task", processDefinitionKey=PROCESS_KEY, sortBy="created", sortOrder="asc", maxResults=limit
        )
        return [_task(t) for t in found]

    def complete(self, task_id: str, fields: dict[str, Any]) -> None:
        """Complete a task with its form's fields, as Tasklist submits them (the engine's form guard checks them)."""
        self.client.post(f"/task/{task_id}/complete", {"variables": to_camunda_all(fields)})

    def late_tasks(self, process_instance_id: str, definition_key: str) -> list[OpenTask]:
        """The open tasks of this definition whose overdue timer fired: those due before now; when none is
        (a timer executed early, as tests and operators may), the one due first."""
        found = sorted(
            (t for t in self.open_tasks(process_instance_id) if t.definition_key == definition_key and t.due),
            key=lambda t: t.due,
        )
        now = dt.datetime.now(dt.UTC)
        return [t for t in found if t.due <= now] or found[:1]

    def undescribe(self, task_id: str, text: str) -> None:
        """Take the text out of the task's description (a marker that no longer holds)."""

        def without(description: str) -> dict | None:
            return {"description": description.replace(text, "").strip() or None} if text in description else None

        self._update(task_id, lambda task: without(task.get("description") or ""))

    def overdue_timer_fired(self, task: OpenTask) -> bool:
        """Whether the task's overdue timer (``<task>_overdue``) has fired: it has none pending any more."""
        pending = self.client.get(
            "/job", processInstanceId=task.process_instance_id, activityId=f"{task.definition_key}_overdue"
        )
        return not pending

    def reopen(self, process_instance_id: str, task: OpenTask) -> None:
        """Open the task again in its place (process instance modification): its due date and its overdue
        timer are evaluated anew; the old task ends as cancelled."""
        execution = self.client.get(f"/task/{task.id}")["executionId"]
        tree = self.client.get(f"/process-instance/{process_instance_id}/activity-instances")
        found = _activity_instance(tree, task.definition_key, execution)
        if found is None:
            raise LookupError(f"任务 {task.name} 的活动实例不存在")
        instance, parent = found
        self.client.post(
            f"/process-instance/{process_instance_id}/modification",
            {
                "instructions": [
                    {
                        "type": "startBeforeActivity",
                        "activityId": task.definition_key,
                        "ancestorActivityInstanceId": parent,
                    },
                    {"type": "cancel", "activityInstanceId": instance},
                ],
                "annotation": "R11：延期后重新计时",
            },
        )

    def candidate_groups(self, task_id: str) -> list[str]:
        links = self.client.get(f"/task/{task_id}/identity-links", type="candidate")
        return sorted(link["groupId"] for link in links if link.get("groupId"))

    def move_due(self, task_id: str, due: dt.datetime) -> None:
        """Set a task's due date (what Tasklist shows and the timeliness figures compare with)."""
        self._update(task_id, lambda task: {"due": format_date(due)})

    def _update(self, task_id: str, change) -> None:
        """Read the task, apply ``change`` (task → the fields to set, or None for nothing), write it back:
        PUT /task/{id} replaces every field, so the others are sent as they were."""
        task = self.client.get(f"/task/{task_id}")
        changes = change(task)
        if changes:
            self.client.put(f"/task/{task_id}", {**{f: task.get(f) for f in (*_TASK_FIELDS, "due")}, **changes})

    def timer_jobs(self, process_instance_id: str) -> list[TimerJob]:
        jobs = self.client.get("/job", processInstanceId=process_instance_id, timers="true")
        return [TimerJob(j["id"], parse_date(j.get("dueDate"))) for j in jobs]

    def move_timer(self, job_id: str, due: dt.datetime) -> None:
        self.client.put(f"/job/{job_id}/duedate", {"duedate": format_date(due), "cascade": False})

    def set_date_variable(self, process_instance_id: str, name: str, value: dt.datetime) -> None:
        self.client.put(
            f"/process-instance/{process_instance_id}/variables/{declared(name)}",
            {"value": format_date(value), "type": "Date"},
        )

    def comments(self, task_id: str) -> list[str]:
        """The messages of a task's comments, oldest first (what Tasklist shows under the task)."""
        return [c.get("message") or "" for c in self.client.get(f"/task/{task_id}/comment")]

    def comment_once(self, task_id: str, message: str, attempts: int = 3) -> bool:
        """Add a comment to the task unless one with the same message is there (a re-run adds none), and
        show it in the task's description, which Tasklist shows to everyone who may see the task: reading
        comments needs READ_HISTORY on the whole process, which a department must not have (other
        departments' cases), so the description is where a department reads its warnings in Tasklist.

        The task lives on while we write: a user who completes it meanwhile makes the warning moot (skipped,
        False), and a write that collides with another (the engine's optimistic locking) is tried again."""
        for attempt in range(1, attempts + 1):
            try:
                added = message not in self.comments(task_id)
                if added:
                    self.client.post(f"/task/{task_id}/comment/create", {"message": message})
                self.describe(task_id, message)  # also after a comment whose description write failed
                return added
            except EngineError:
                if not self._is_open(task_id):
                    return False
                if attempt == attempts:
                    raise
        return False

    def _is_open(self, task_id: str) -> bool:
        try:
            self.client.get(f"/task/{task_id}")
        except EngineNotFound:
            return False
        return True

    def describe(self, task_id: str, message: str) -> None:
        """Put the message first in the task's description (newest first, within the engine's 4000 characters)."""

        def prepended(description: str) -> dict | None:
            return None if message in description else {"description": f"{message}\n\n{description}".strip()[:3900]}

        self._update(task_id, lambda task: prepended(task.get("description") or ""))

    def open_tasks_of_group(self, process_instance_id: str, group_id: str) -> list[OpenTask]:
        """The case's open user tasks offered to this candidate group."""
        found = self.client.get("/task", processInstanceId=process_instance_id, candidateGroup=group_id)
        return [_task(t) for t in found]

    def members_of(self, group_id: str) -> list[str]:
        """The user ids in an engine group (for example the expert pool)."""
        return [user["id"] for user in self.client.get("/user", memberOfGroup=group_id)]

    def groups_of(self, user_id: str) -> set[str]:
        return {group["id"] for group in self.client.get("/group", member=user_id)}


def _activity_instance(node: dict, activity_id: str, execution_id: str) -> tuple[str, str] | None:
    """(activity instance id, its parent's) of the activity running in this execution, in the tree."""
    for child in node.get("childActivityInstances", []):
        if child.get("activityId") == activity_id and execution_id in child.get("executionIds", []):
            return child["id"], node["id"]
        found = _activity_instance(child, activity_id, execution_id)
        if found is not None:
            return found
    return None
