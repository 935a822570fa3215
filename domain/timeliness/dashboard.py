"""Timeliness per department (R18): received, finished, open, on time, overdue, working days per stage,
extensions, funds paid.

Figures come from the engine's history (cases and tasks by candidate group, closed cases, applied
extensions) and the application database (payments, escalations). A month (``2026-11``) or a year
narrows everything to cases started, cases closed, tasks finished, extensions applied and payments
confirmed in it. The dashboard, the joint meeting's monthly report (R17) and the yearly assessment
(R18) all read these figures, computed here in one place, so that they never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from sqlalchemy import func, select

from domain.calendar import CalendarYearUnknown, WorkingDayCalendar
from domain.clock import CHINA
from domain.db import Database
from domain.engine.history import HistoryReader
from domain.engine.tasks import TaskGateway
from domain.fulfilment.models import PaymentOrder
from domain.organisation import DEPARTMENTS, FINANCE_BUREAU, WINDOW, Unit
from domain.timeliness.models import OverdueEscalation


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
    finished: int = 0  # cases closed (办结: unified feedback given, R12) in the period
    extensions: int = 0  # deadline extensions applied at this unit's request in the period (R11)

    @property
    def tasks_late(self) -> int:
        """Tasks finished after their due date in the period."""
        return self.tasks_done - self.tasks_on_time

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.tasks_on_time / self.tasks_done, 1) if self.tasks_done else None


@dataclass
class Dashboard:
    month: str | None  # the period: a month (2026-11), a year (2026), or None for all time
    departments: list[DepartmentFigures]
    received_by_month: dict[str, int]
    calendar_gaps: set[int]
    provisional_years: set[int] = field(default_factory=set)  # counted on the statutory holidays only


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the month and of the next, China time; ValueError for a malformed month."""
    start = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=CHINA)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the year and of the next, China time."""
    return dt.datetime(year, 1, 1, tzinfo=CHINA), dt.datetime(year + 1, 1, 1, tzinfo=CHINA)


class DashboardBuilder:
    """Reads the engine (no transaction open), then the application database in one short session."""

    def __init__(
        self,
        history: HistoryReader,
        tasks: TaskGateway,
        database: Database,
        calendar: WorkingDayCalendar,
        now: dt.datetime,
    ):
        self.history = history
        self.tasks = tasks
        self.database = database
        self.calendar = calendar
        self.now = now
        self.calendar_gaps: set[int] = set()

    def build(self, month: str | None = None) -> Dashboard:
        """The figures of a month (``2026-11``) or of all time; ValueError for a malformed month."""
        return self._build(month, month_bounds(month) if month else None)

    def build_year(self, year: int) -> Dashboard:
        """The figures of a calendar year (R18's yearly assessment)."""
        return self._build(str(year), year_bounds(year))

    def _build(self, month: str | None, bounds) -> Dashboard:
        units: list[Unit] = [WINDOW, *DEPARTMENTS, FINANCE_BUREAU]
        by_month: Counter[str] = Counter()
        figures = [self._department(unit, bounds, by_month) for unit in units]
        self._closed_and_extended(figures, bounds)
        self._database_figures(figures, bounds)
        provisional = {
            task.due.astimezone(CHINA).year
            for item in figures
            for task in item.overdue
            if task.due and self.calendar.is_provisional(task.due.astimezone(CHINA).year)
        }
        if bounds and self.calendar.is_provisional(bounds[0].year):
            provisional.add(bounds[0].year)
        return Dashboard(month, figures, dict(sorted(by_month.items())), self.calendar_gaps, provisional)

    def _department(self, unit: Unit, bounds, by_month: Counter) -> DepartmentFigures:
        result = DepartmentFigures(unit.group_id, unit.name)
        # The window receives every case (R1); a department, those routed to it.
        cases = self.history.cases_of_group(None if unit is WINDOW else unit.group_id, bounds)
        result.received = len(cases)
        result.open = sum(1 for c in cases if c.active)
        for case in cases:
            by_month[case.started.astimezone(CHINA).strftime("%Y-%m")] += 1
        stage_days: dict[str, list[int]] = defaultdict(list)
        for task in self.history.finished_tasks_of_group(unit.group_id, bounds):
            if task.due is not None:
                result.tasks_done += 1
                result.tasks_on_time += task.ended <= task.due
            days = self._working_days(task.started, task.ended)
            if days is not None:
                stage_days[task.name].append(days)
        result.working_days_by_stage = {name: round(mean(days), 1) for name, days in sorted(stage_days.items())}
        late = self.tasks.overdue_for_group(unit.group_id, self.now)
        numbers = self.history.business_keys({task.process_instance_id for task in late})
        result.overdue = [
            OverdueTask(numbers.get(task.process_instance_id, task.process_instance_id), task.name, task.due)
            for task in late
        ]
        return result

    def _closed_and_extended(self, figures: list[DepartmentFigures], bounds) -> None:
        closed = self.history.closed_cases(bounds)
        extended = Counter(self.history.extensions_applied(bounds))
        for item in figures:
            # The window closes every case (its unified feedback, R12); a department, those routed to it.
            item.finished = (
                len(closed)
                if item.group == WINDOW.group_id
                else sum(1 for group in closed.values() if group == item.group)
            )
            item.extensions = extended.get(item.group, 0)

    def _working_days(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Working days from the start day (not counted) to the end day; None when a year is unknown."""
        first, last = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
        try:
            return self.calendar.working_days_between(first, last)
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
        with self.database.session_scope() as session:
            paid_by = dict(session.execute(paid.group_by(PaymentOrder.department_group)).all())
            escalated_by = dict(session.execute(escalated.group_by(OverdueEscalation.responsible_group)).all())
        for item in figures:
            item.funds_paid = Decimal(paid_by.get(item.group) or 0).quantize(Decimal("0.01"))
            item.escalations = escalated_by.get(item.group, 0)
