"""HistoryReader: typed reads of the engine's history — a case's timeline and outcome, the experts'
answers, escalations reached, and the raw figures of the timeliness dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from domain.cases import EXTENSION_PROCESS_KEY, PROCESS_KEY, VISIBLE_STEPS, declared
from domain.clock import CHINA
from domain.engine.client import EngineClient
from domain.engine.variables import format_date, parse_date

EXPERT_REVIEW = "expert_review"
EXPERT_REVIEW_BODY = f"{EXPERT_REVIEW}#multiInstanceBody"
CASE_CLOSED = "case_closed"  # the end of a case once the enterprise has its unified feedback (R12)
EXTENSION_APPLIED = "apply_extension"  # an approved extension moved the case's deadlines (R11)


@dataclass(frozen=True)
class Step:
    """One step of a case as the enterprise reads it."""

    name: str
    started: dt.datetime
    ended: dt.datetime | None
    due: dt.datetime | None

    @property
    def current(self) -> bool:
        return self.ended is None


@dataclass(frozen=True)
class CaseSummary:
    id: str
    business_key: str | None
    started: dt.datetime
    active: bool


@dataclass(frozen=True)
class FinishedTask:
    name: str
    started: dt.datetime
    ended: dt.datetime
    due: dt.datetime | None


def _window(prefix: str, bounds: tuple[dt.datetime, dt.datetime] | None) -> dict[str, str]:
    if not bounds:
        return {}
    return {f"{prefix}After": format_date(bounds[0]), f"{prefix}Before": format_date(bounds[1])}


class HistoryReader:
    def __init__(self, client: EngineClient) -> None:
        self.client = client

    # -- one case -----------------------------------------------------------------------------

    def timeline(self, process_instance_id: str) -> list[Step]:
        """The enterprise-visible steps of the case, oldest first, with due dates."""
        activities = self.activities(process_instance_id)
        dues = {
            t["activityInstanceId"]: parse_date(t.get("due"))
            for t in self.client.get("/history/task", processInstanceId=process_instance_id)
        }
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
            steps.append(Step(name, parse_date(activity["startTime"]), parse_date(activity.get("endTime")), due))
        return steps

    def activities(self, process_instance_id: str, **filters: Any) -> list[dict]:
        """The case's activity instances in the order they occurred (raw history rows)."""
        return self.client.get(
            "/history/activity-instance",
            processInstanceId=process_instance_id,
            sortBy="occurrence",
            sortOrder="asc",
            **filters,
        )

    def path(self, process_instance_id: str) -> list[str]:
        """Ids of the activities the case went through, in order."""
        return [
            a["activityId"]
            for a in self.activities(process_instance_id)
            if a["activityType"] not in ("lane", "participant")
        ]

    def variable(self, process_instance_id: str, name: str) -> Any:
        """The last value of a process variable (serialized form: Json as text), or None."""
        found = self.client.get(
            "/history/variable-instance",
            processInstanceId=process_instance_id,
            variableName=declared(name),
            deserializeValues="false",
        )
        return found[-1]["value"] if found else None

    def task_spans(self, process_instance_id: str, definition_key: str) -> list[tuple[dt.date, dt.date]]:
        """The days each finished task of this definition was opened and closed, China time."""
        found = self.client.get(
            "/history/task", processInstanceId=process_instance_id, taskDefinitionKey=definition_key, finished="true"
        )
        return [
            (parse_date(t["startTime"]).astimezone(CHINA).date(), parse_date(t["endTime"]).astimezone(CHINA).date())
            for t in found
        ]

    def outcome(self, process_instance_id: str) -> str | None:
        return self.variable(process_instance_id, "outcome")

    def escalations_reached(self, process_instance_id: str) -> dict[str, dt.datetime]:
        """Escalation end event id → when it was last reached (the overdue timers that fired)."""
        reached: dict[str, dt.datetime] = {}
        for event in self.activities(process_instance_id, activityType="escalationEndEvent"):
            moment = parse_date(event["startTime"])
            reached[event["activityId"]] = max(reached.get(event["activityId"], moment), moment)
        return reached

    def expert_answers(self, process_instance_id: str, fields: tuple[str, ...]) -> list[dict]:
        """The answers of the experts of the most recent expert review (R6), one dict per expert.

        Each expert's task keeps its answers as local variables of its own activity instance; the
        expert is the assignee of that task (``reviewer``).
        """
        bodies = self.client.get(
            "/history/activity-instance",
            processInstanceId=process_instance_id,
            activityId=EXPERT_REVIEW_BODY,
            sortBy="startTime",
            sortOrder="desc",
        )
        if not bodies:
            return []
        rounds = self.client.get(
            "/history/activity-instance", processInstanceId=process_instance_id, activityId=EXPERT_REVIEW
        )
        answers: dict[str, dict] = {a["id"]: {} for a in rounds if a["parentActivityInstanceId"] == bodies[0]["id"]}
        for task in self.client.get(
            "/history/task", processInstanceId=process_instance_id, taskDefinitionKey=EXPERT_REVIEW
        ):
            if task.get("activityInstanceId") in answers:  # the expert is the task's assignee
                answers[task["activityInstanceId"]]["reviewer"] = task.get("assignee")
        for variable in self.client.get(
            "/history/variable-instance",
            processInstanceId=process_instance_id,
            variableNameIn=",".join(fields),
            deserializeValues="false",
        ):
            if variable["activityInstanceId"] in answers:
                answers[variable["activityInstanceId"]][variable["name"]] = variable["value"]
        return list(answers.values())

    # -- dashboard figures --------------------------------------------------------------------

    def cases_of_group(
        self, group_id: str | None, started: tuple[dt.datetime, dt.datetime] | None
    ) -> list[CaseSummary]:
        """Cases routed to this department (every case when ``group_id`` is None: the window's), optionally only
        those started in the bounds. A case is open until its unified feedback is done (R12), even while a
        supervision of it goes on."""
        routed = {"variables": f"departmentGroup_eq_{group_id}"} if group_id else {}
        found = self.client.get(
            "/history/process-instance", processDefinitionKey=PROCESS_KEY, **routed, **_window("started", started)
        )
        fed_back = self.with_variable("feedbackId", {c["id"] for c in found if c["state"] == "ACTIVE"})
        return [
            CaseSummary(
                c["id"],
                c.get("businessKey"),
                parse_date(c["startTime"]),
                c["state"] == "ACTIVE" and c["id"] not in fed_back,
            )
            for c in found
        ]

    def with_variable(self, name: str, process_instance_ids: set[str]) -> set[str]:
        """Which of these cases have the variable set (in one query)."""
        if not process_instance_ids:
            return set()
        found = self.client.post(
            "/history/variable-instance",
            {"variableName": declared(name), "processInstanceIdIn": sorted(process_instance_ids)},
        )
        return {v["processInstanceId"] for v in found or []}

    def finished_tasks_of_group(
        self, group_id: str, finished: tuple[dt.datetime, dt.datetime] | None
    ) -> list[FinishedTask]:
        found = self.client.get(
            "/history/task",
            processDefinitionKey=PROCESS_KEY,
            taskHadCandidateGroup=group_id,
            finished="true",
            **_window("finished", finished),
        )
        return [
            FinishedTask(t["name"], parse_date(t["startTime"]), parse_date(t["endTime"]), parse_date(t.get("due")))
            for t in found
        ]

    def closed_cases(self, closed: tuple[dt.datetime, dt.datetime] | None) -> dict[str, str | None]:
        """Cases closed (办结: unified feedback given, R12), optionally only those closed in the bounds →
        the department each was routed to (None: closed at the window, never routed)."""
        ids = self._finished_in(CASE_CLOSED, PROCESS_KEY, closed)
        return dict.fromkeys(ids) | self._process_values("departmentGroup", ids)

    def extensions_applied(self, applied: tuple[dt.datetime, dt.datetime] | None) -> list[str | None]:
        """For each deadline extension applied (R11), optionally only in the bounds: the group that asked."""
        ids = self._finished_in(EXTENSION_APPLIED, EXTENSION_PROCESS_KEY, applied)
        asked = self._process_values("departmentGroup", ids)
        return [asked.get(instance) for instance in sorted(ids)]

    def _finished_in(
        self, activity_id: str, process_key: str, finished: tuple[dt.datetime, dt.datetime] | None
    ) -> set[str]:
        """The instances of the process in which the activity finished (in the bounds)."""
        found = self.client.get(
            "/history/activity-instance", activityId=activity_id, finished="true", **_window("finished", finished)
        )  # the query has no process key filter: each row names its own
        return {a["processInstanceId"] for a in found if a.get("processDefinitionKey") == process_key}

    def _process_values(self, name: str, process_instance_ids: set[str]) -> dict[str, Any]:
        """Process instance id → the value of its process-level variable (in one query)."""
        if not process_instance_ids:
            return {}
        found = self.client.post(
            "/history/variable-instance",
            {"variableName": declared(name), "processInstanceIdIn": sorted(process_instance_ids)},
        )
        values: dict[str, Any] = {}
        for variable in sorted(found or [], key=lambda v: v.get("activityInstanceId") == v["processInstanceId"]):
            values[variable["processInstanceId"]] = variable.get("value")  # the process's own wins over a local copy
        return values

    def business_keys(self, process_instance_ids: set[str]) -> dict[str, str]:
        """Process instance id → application number (business key), in one query."""
        if not process_instance_ids:
            return {}
        found = self.client.get("/history/process-instance", processInstanceIds=",".join(sorted(process_instance_ids)))
        return {case["id"]: case["businessKey"] for case in found if case.get("businessKey")}

    def activity_finished(self, process_instance_id: str, activity_id: str) -> dict | None:
        """The finished instance of this activity in the case (with durationInMillis), or None."""
        found = self.client.get(
            "/history/activity-instance",
            processInstanceId=process_instance_id,
            activityId=activity_id,
            finished="true",
        )
        return found[0] if found else None
