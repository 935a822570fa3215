"""A deadline extension (R11): check the request, then move the case's remaining deadlines.

Who may ask: the department the case is routed to, for its own steps and for the case's waits that
have no task (公示, a supplement, a correction, the city's answer); or the finance bureau, for its own
step. What moves: the case's ``*Due`` / ``*Ends`` variables that are the due date of one of those
tasks or of a pending timer. Every move is computed from the deadlines recorded when the request was
checked, so applying it twice sets the same values. A task whose overdue timer has already fired is
opened again with the new due date, so that its timer is armed again (the engine cannot re-arm a
non-interrupting timer that has fired): its holder finds it again in Tasklist, due on the new date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.calendar import WorkingDayCalendar
from domain.cases import VARIABLES
from domain.clock import CHINA
from domain.deadlines import extend
from domain.engine.cases import CaseGateway
from domain.engine.tasks import TaskGateway
from domain.organisation import FINANCE_BUREAU, unit_for_group

REOPENED_NOT = frozenset({"expert_review"})  # one expert's task of several: moved, not opened again


class ExtensionInvalid(Exception):
    """The request cannot be considered; the message says why (the requester reads it in Tasklist)."""


@dataclass(frozen=True)
class ExtensionRequest:
    case_instance_id: str
    department_group: str  # the group that asks: the case's department, or the finance bureau
    department_name: str
    enterprise_name: str | None
    running: dict[str, dt.datetime]  # deadline variable → its current value

    def listing(self) -> str:
        return "\n".join(
            f"{deadline_name(name)}：{value.astimezone(CHINA):%Y年%m月%d日}"
            for name, value in sorted(self.running.items())
        )


def deadline_name(variable: str) -> str:
    """A deadline as staff and enterprises read it (the vocabulary's words)."""
    return VARIABLES.get(variable, variable)


def check_request(cases: CaseGateway, tasks: TaskGateway, number: str, requester: str) -> ExtensionRequest:
    """The request for the running case with this number, or raise ExtensionInvalid naming the reason."""
    case_id = cases.find_running(number)
    if case_id is None:
        raise ExtensionInvalid(f"申报编号 {number} 不存在或已办结。")
    variables = cases.variables(case_id)
    department = variables.get("departmentGroup")
    groups = tasks.groups_of(requester)
    if department in groups:
        asking = department
    elif FINANCE_BUREAU.group_id in groups:
        asking = FINANCE_BUREAU.group_id
    else:
        raise ExtensionInvalid(f"申请人 {requester} 不属于负责该办件的部门，也不办理其当前环节。")
    dues = {
        task.due
        for task in tasks.open_tasks(case_id)
        if task.due and (asking in (tasks.candidate_groups(task.id) or [department]))
    }
    if asking == department:  # the case's waits without a task are the department's to extend
        dues |= {job.due for job in tasks.timer_jobs(case_id) if job.due}
    running = {
        name: value
        for name, value in variables.items()
        if name.endswith(("Due", "Ends")) and isinstance(value, dt.datetime) and value in dues
    }
    if not running:
        raise ExtensionInvalid("该办件当前没有由申请单位办理、处于办理时限内的环节。")
    return ExtensionRequest(case_id, asking, unit_for_group(asking).name, variables.get("enterpriseName"), running)


def apply_extension(
    tasks: TaskGateway, calendar: WorkingDayCalendar, case_id: str, days: int, deadlines: dict[str, dt.datetime]
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Move each deadline, the due dates of its tasks and its timers; open again a task whose timer has
    fired. Return deadline → (old, new)."""
    moves = {name: (old, extend(calendar, old, days)) for name, old in deadlines.items()}
    for name, (old, new) in moves.items():
        tasks.set_date_variable(case_id, name, new)  # first: a task opened again reads it
        for task in tasks.open_tasks(case_id):
            if task.due not in (old, new):
                continue
            if tasks.overdue_timer_fired(task) and task.definition_key not in REOPENED_NOT:
                tasks.reopen(case_id, task)
            else:
                tasks.move_due(task.id, new)
        for job in tasks.timer_jobs(case_id):
            if job.due in (old, new):
                tasks.move_timer(job.id, new)
    return moves


def moves_text(moves: dict[str, tuple[dt.datetime, dt.datetime]]) -> list[str]:
    return [
        f"{deadline_name(name)}：{old.astimezone(CHINA):%Y年%m月%d日} → {new.astimezone(CHINA):%Y年%m月%d日}"
        for name, (old, new) in sorted(moves.items())
    ]
