"""Which tasks of a case are overdue, and their record and warnings (R18).

The escalation end events reached so far name the activities (``<task>_escalated``) whose timers
fired; their open tasks are the overdue ones, each recorded once per deadline. The engine's timers
decide lateness, so this never disagrees with them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.cases import CaseFacts
from domain.clock import CHINA
from domain.engine.cases import CaseGateway
from domain.engine.history import HistoryReader
from domain.engine.tasks import OpenTask, TaskGateway
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from domain.organisation import JOINT_MEETING_OFFICE, MANAGERS, unit_for_group
from domain.timeliness.services import OverdueService, OverdueTask

ESCALATED_SUFFIX = "_escalated"


class OverdueFinder:
    def __init__(self, history: HistoryReader, tasks: TaskGateway, cases: CaseGateway) -> None:
        self.history = history
        self.tasks = tasks
        self.cases = cases

    def overdue_tasks(self, process_instance_id: str) -> list[OverdueTask]:
        """The case's open tasks whose overdue timer has fired (a task opened after it, a new round, is not)."""
        fired = {
            event.removesuffix(ESCALATED_SUFFIX): moment
            for event, moment in self.history.escalations_reached(process_instance_id).items()
        }
        return [
            OverdueTask(
                task_id=task.id,
                activity_id=task.definition_key,
                task_name=task.name,
                responsible_group=self.responsible_group(task),
                due_at=task.due,
            )
            for task in self.tasks.open_tasks(process_instance_id)
            if task.definition_key in fired and task.due is not None and task.created <= fired[task.definition_key]
        ]

    def responsible_group(self, task: OpenTask) -> str:
        """The candidate group of the task; for an expert's task, the department that called the expert."""
        groups = self.tasks.candidate_groups(task.id)
        if groups:
            return groups[0]
        return self.cases.variable(task.process_instance_id, "departmentGroup") or ""


def escalate(session: Session, case: CaseFacts, overdue: list[OverdueTask]) -> list[str]:
    """Record each overdue task once and warn its unit and the joint-meeting office; one line per task."""
    lines = []
    for item in overdue:
        escalation, new = OverdueService(session).record(case.ref, item)
        unit = unit_for_group(item.responsible_group).name if item.responsible_group else "未分配"
        lines.append(f"{item.task_name}（{unit}）：期限 {item.due_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}，已超期")
        if not new:
            continue
        context = {
            "enterprise_name": case.require("enterpriseName"),
            "task_name": item.task_name,
            "unit_name": unit,
            "due": item.due_at.astimezone(CHINA),
        }
        # To the responsible unit (its lead section, R14) and the joint-meeting office.
        for recipient in dict.fromkeys([item.responsible_group, JOINT_MEETING_OFFICE.group_id]):
            if recipient:
                once = f"{escalation.task_id}:{recipient}"
                NoticeService(session).record(case.ref, NoticeKind.OVERDUE, Addressee(recipient), context, round_=once)
    return lines


def report_to_managers(session: Session, case: CaseFacts, late: list[tuple[OpenTask, str]]) -> list[str]:
    """Record each late step (with the group that holds it) once, and tell the managers (R18)."""
    lines = []
    for task, holder in late:
        item = OverdueTask(task.id, task.definition_key, task.name, holder, task.due)
        escalation, new = OverdueService(session).record(case.ref, item)
        unit = unit_for_group(item.responsible_group).name if item.responsible_group else "未分配"
        lines.append(f"{item.task_name}（{unit}）：期限 {item.due_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}，已超期")
        if new:
            context = {
                "enterprise_name": case.get("enterpriseName") or case.application_number,
                "task_name": item.task_name,
                "unit_name": unit,
                "due": item.due_at.astimezone(CHINA),
            }
            managers, once = Addressee(MANAGERS.group_id), f"{escalation.task_id}:managers"
            NoticeService(session).record(case.ref, NoticeKind.OVERDUE, managers, context, round_=once)
    return lines
