"""A deadline extension (R11): check the department's request, then move the case's running deadlines.

Only a member of the department the case is routed to may ask; the deadlines that can move are the
case's ``*Due`` variables that are the due date of one of its open tasks. Every move is computed
from the deadlines recorded when the request was checked, so applying it twice sets the same values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.calendar import WorkingDayCalendar
from domain.clock import CHINA
from domain.deadlines import extend
from domain.engine.cases import CaseGateway
from domain.engine.tasks import TaskGateway
from domain.organisation import unit_for_group


class ExtensionInvalid(Exception):
    """The request cannot be considered; the message says why (the requester reads it in Tasklist)."""


@dataclass(frozen=True)
class ExtensionRequest:
    case_instance_id: str
    department_group: str
    department_name: str
    enterprise_name: str | None
    running: dict[str, dt.datetime]  # deadline variable → its current value

    def listing(self) -> str:
        return "\n".join(
            f"{name}：{value.astimezone(CHINA):%Y年%m月%d日}" for name, value in sorted(self.running.items())
        )


def check_request(cases: CaseGateway, tasks: TaskGateway, number: str, requester: str) -> ExtensionRequest:
    """The request for the running case with this number, or raise ExtensionInvalid naming the reason."""
    case_id = cases.find_running(number)
    if case_id is None:
        raise ExtensionInvalid(f"申报编号 {number} 不存在或已办结。")
    variables = cases.variables(case_id)
    group = variables.get("departmentGroup")
    if group not in tasks.groups_of(requester):
        raise ExtensionInvalid(f"申请人 {requester} 不属于负责该办件的部门。")
    open_dues = {task.due for task in tasks.open_tasks(case_id) if task.due}
    running = {name: value for name, value in variables.items() if name.endswith("Due") and value in open_dues}
    if not running:
        raise ExtensionInvalid("该办件当前没有处于办理时限内的任务。")
    return ExtensionRequest(case_id, group, unit_for_group(group).name, variables.get("enterpriseName"), running)


def apply_extension(
    tasks: TaskGateway, calendar: WorkingDayCalendar, case_id: str, days: int, deadlines: dict[str, dt.datetime]
) -> str:
    """Move each deadline, the due dates of the tasks and the timers that had it; return the result text."""
    moves = {name: (old, extend(calendar, old, days)) for name, old in deadlines.items()}
    for name, (old, new) in moves.items():
        for task in tasks.open_tasks(case_id):
            if task.due in (old, new):
                tasks.move_due(task.id, new)
        for job in tasks.timer_jobs(case_id):
            if job.due in (old, new):
                tasks.move_timer(job.id, new)
        tasks.set_date_variable(case_id, name, new)
    listing = "\n".join(
        f"{name}：{old.astimezone(CHINA):%Y年%m月%d日} → {new.astimezone(CHINA):%Y年%m月%d日}"
        for name, (old, new) in sorted(moves.items())
    )
    return f"联席会议办公室同意延长 {days} 个工作日：\n{listing}"
