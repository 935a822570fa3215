"""Timeliness per department (R18): received, open, on time, overdue, working days per stage, funds paid.

Figures come from the engine's history (cases and tasks by candidate group) and the application
database (payments, escalations). A month (``2026-11``) narrows everything to cases started,
tasks finished and payments confirmed in it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.calendar import CalendarYearUnknown, WorkingDayCalendar
from domain.clock import CHINA
from domain.engine.client import EngineClient
from domain.fulfilment.models import PaymentOrder
from domain.organisation import DEPARTMENTS, FINANCE_BUREAU, Unit
from domain.timeliness.models import OverdueEscalation

PROCESS_KEY = "policy_fulfilment"
CAMUNDA_DATE = "%Y-%m-%dT%H:%M:%S.%f%z"


@dataclass
class OverdueTask:
    application_number: str
    task_name: str
    due: dt.datetime


@dataclass
class DepartmentFigures:
    group: str
    name: str
    received: int = 0
    open: int = 0
    tasks_done: int = 0
    tasks_on_time: int = 0
    overdue: list[OverdueTask] = field(default_factory=list)
    working_days_by_stage: dict[str, float] = field(default_factory=dict)
    funds_paid: Decimal = Decimal("0.00")
    escalations: int = 0

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.tasks_on_time / self.tasks_done, 1) if self.tasks_done else None


@dataclass
class Dashboard:
    month: str | None
    departments: list[DepartmentFigures]
    received_by_month: dict[str, int]
    calendar_gaps: set[int]


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(value, CAMUNDA_DATE) if value else None


def _camunda(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the month and of the next, China time; ValueError for a malformed month."""
    start = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=CHINA)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following


class DashboardBuilder:
    def __init__(self, engine: EngineClient, session: Session, calendar: WorkingDayCalendar, now: dt.datetime):
        self.engine = engine
        self.session = session
        self.calendar = calendar
        self.now = now
        self.calendar_gaps: set[int] = set()

    def build(self, month: str | None = None) -> Dashboard:
        bounds = month_bounds(month) if month else None
        units: list[Unit] = [*DEPARTMENTS, FINANCE_BUREAU]
        by_month: Counter[str] = Counter()
        figures = []
        for unit in units:
            figures.append(self._department(unit, bounds, by_month))
        self._database_figures(figures, bounds)
        return Dashboard(month, figures, dict(sorted(by_month.items())), self.calendar_gaps)

    def _department(self, unit: Unit, bounds, by_month: Counter) -> DepartmentFigures:
        result = DepartmentFigures(unit.group_id, unit.name)
        window = {}
        if bounds:
            window = {"startedAfter": _camunda(bounds[0]), "startedBefore": _camunda(bounds[1])}
        cases = self.engine.get(
            "/history/process-instance",
            processDefinitionKey=PROCESS_KEY,
            variables=f"departmentGroup_eq_{unit.group_id}",
            **window,
        )
        result.received = len(cases)
        result.open = sum(1 for c in cases if c["state"] == "ACTIVE")
        for case in cases:
            by_month[_parse(case["startTime"]).astimezone(CHINA).strftime("%Y-%m")] += 1
        finished = {"finishedAfter": _camunda(bounds[0]), "finishedBefore": _camunda(bounds[1])} if bounds else {}
        tasks = self.engine.get(
            "/history/task",
            processDefinitionKey=PROCESS_KEY,
            taskHadCandidateGroup=unit.group_id,
            finished="true",
            **finished,
        )
        stage_days: dict[str, list[int]] = defaultdict(list)
        for task in tasks:
            end, due = _parse(task.get("endTime")), _parse(task.get("due"))
            if due is not None:
                result.tasks_done += 1
                result.tasks_on_time += end <= due
            days = self._working_days(_parse(task["startTime"]), end)
            if days is not None:
                stage_days[task["name"]].append(days)
        result.working_days_by_stage = {name: round(mean(days), 1) for name, days in sorted(stage_days.items())}
        late = self.engine.get(
            "/task", processDefinitionKey=PROCESS_KEY, candidateGroup=unit.group_id, dueBefore=_camunda(self.now)
        )
        numbers = self._application_numbers({task["processInstanceId"] for task in late})
        result.overdue = [
            OverdueTask(
                numbers.get(task["processInstanceId"], task["processInstanceId"]), task["name"], _parse(task["due"])
            )
            for task in late
        ]
        return result

    def _application_numbers(self, instance_ids: set[str]) -> dict[str, str]:
        """Process instance id → application number (business key), in one query."""
        if not instance_ids:
            return {}
        found = self.engine.get("/history/process-instance", processInstanceIds=",".join(sorted(instance_ids)))
        return {case["id"]: case["businessKey"] for case in found if case.get("businessKey")}

    def _working_days(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Working days from the start day (not counted) to the end day; None when a year is unknown."""
        first, last = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
        try:
            return sum(
                1
                for offset in range(1, (last - first).days + 1)
                if self.calendar.is_working_day(first + dt.timedelta(days=offset))
            )
        except CalendarYearUnknown as exc:
            self.calendar_gaps.add(exc.year)
            return None

    def _database_figures(self, figures: list[DepartmentFigures], bounds) -> None:
        paid = select(PaymentOrder.department_group, func.sum(PaymentOrder.amount)).where(
            PaymentOrder.confirmed_at.is_not(None)
        )
        escalated = select(OverdueEscalation.responsible_group, func.count())
        if bounds:
            paid = paid.where(PaymentOrder.confirmed_at >= bounds[0], PaymentOrder.confirmed_at < bounds[1])
            escalated = escalated.where(
                OverdueEscalation.escalated_at >= bounds[0], OverdueEscalation.escalated_at < bounds[1]
            )
        paid_by = dict(self.session.execute(paid.group_by(PaymentOrder.department_group)).all())
        escalated_by = dict(self.session.execute(escalated.group_by(OverdueEscalation.responsible_group)).all())
        for item in figures:
            item.funds_paid = Decimal(paid_by.get(item.group) or 0).quantize(Decimal("0.01"))
            item.escalations = escalated_by.get(item.group, 0)
