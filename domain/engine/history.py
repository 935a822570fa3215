"""HistoryReader: typed reads of the engine's history — a case's timeline and outcome, the experts'
answers, escalations reached. (The timeliness figures are the engine's own: domain/engine/figures.py.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from domain.cases import VISIBLE_STEPS, declared
from domain.clock import CHINA
from domain.engine.client import EngineClient
from domain.engine.variables import parse_date

EXPERT_REVIEW = "expert_review"
EXPERT_REVIEW_BODY = f"{EXPERT_REVIEW}#multiInstanceBody"


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

    def activity_finished(self, process_instance_id: str, activity_id: str) -> dict | None:
        """The finished instance of this activity in the case (with durationInMillis), or None."""
        found = self.client.get(
            "/history/activity-instance",
            processInstanceId=process_instance_id,
            activityId=activity_id,
            finished="true",
        )
        return found[0] if found else None
