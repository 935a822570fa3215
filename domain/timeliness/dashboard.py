"""Timeliness per department (R18): received, finished, open, on time, overdue, working days per stage,
extensions, funds paid.

The figures are computed by the engine in one place (domain/engine/figures.py: SQL over its history, the same
class the managers' Cockpit plugin reads); the funds paid come from the application database. A month
(``2026-11``) or a year narrows everything to cases started, cases closed, tasks finished, deadlines passed,
extensions applied and payments confirmed in it. The dashboard and its CSV, the joint meeting's monthly report
(R17) and the yearly assessment (R18) all read these figures, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from domain.clock import CHINA
from domain.db import Database
from domain.engine.figures import FiguresReader
from domain.engine.variables import parse_date
from domain.fulfilment.models import PaymentOrder


@dataclass
class OverdueTask:
    application_number: str
    task_name: str
    due: dt.datetime
    process_instance_id: str | None = None


@dataclass
class DepartmentFigures:
    group: str
    name: str
    received: int = 0
    open: int = 0
    tasks_done: int = 0
    tasks_on_time: int = 0
    overdue: list[OverdueTask] = field(default_factory=list)  # the most overdue first, at most 100
    overdue_count: int = 0  # all open tasks past due
    working_days_by_stage: dict[str, float] = field(default_factory=dict)
    funds_paid: Decimal = Decimal("0.00")
    escalations: int = 0  # the unit's tasks whose deadline passed in the period while open (超期预警)
    finished: int = 0  # cases closed (办结: unified feedback given, R12) in the period
    extensions: int = 0  # deadline extensions applied at this unit's request in the period (R11)
    # The engine's own percent (TimelinessFigures: Math.round, half up), never recomputed here: Python's round()
    # is half-even and would show 6.2 where Cockpit shows 6.3 for 1 of 16 (issue 13). None: no task done.
    on_time_percent: float | None = None

    @property
    def tasks_late(self) -> int:
        """Tasks finished after their due date in the period."""
        return self.tasks_done - self.tasks_on_time


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
    """The engine's figures (FiguresReader, computed in one place), with the funds paid from the application
    database, where the finance bureau's confirmations live."""

    def __init__(self, figures: FiguresReader, database: Database, now: dt.datetime):
        self.figures = figures
        self.database = database
        self.now = now

    def build(self, month: str | None = None) -> Dashboard:
        """The figures of a month (``2026-11``) or of all time; ValueError for a malformed month."""
        return self._build(month, month_bounds(month) if month else None)

    def build_year(self, year: int) -> Dashboard:
        """The figures of a calendar year (R18's yearly assessment)."""
        return self._build(str(year), year_bounds(year))

    def _build(self, period: str | None, bounds) -> Dashboard:
        answer = self.figures.figures(period, self.now)
        figures = [_unit_figures(unit) for unit in answer["units"]]
        self._funds(figures, bounds)
        return Dashboard(
            period,
            figures,
            dict(answer["receivedByMonth"]),
            set(answer["calendarGaps"]),
            set(answer["provisionalYears"]),
        )

    def _funds(self, figures: list[DepartmentFigures], bounds) -> None:
        """County funds confirmed paid (R9, R19) in the period, per department that granted them."""
        paid = select(PaymentOrder.department_group, func.sum(PaymentOrder.amount)).where(
            PaymentOrder.confirmed_at.is_not(None)
        )
        if bounds:
            paid = paid.where(PaymentOrder.confirmed_at >= bounds[0], PaymentOrder.confirmed_at < bounds[1])
        with self.database.session_scope() as session:
            paid_by = dict(session.execute(paid.group_by(PaymentOrder.department_group)).all())
        for item in figures:
            item.funds_paid = Decimal(paid_by.get(item.group) or 0).quantize(Decimal("0.01"))


def _unit_figures(unit: dict) -> DepartmentFigures:
    return DepartmentFigures(
        group=unit["group"],
        name=unit["name"],
        received=unit["received"],
        open=unit["open"],
        tasks_done=unit["tasksDone"],
        tasks_on_time=unit["tasksOnTime"],
        on_time_percent=unit["onTimePercent"],
        overdue=[
            OverdueTask(task["applicationNumber"], task["taskName"], parse_date(task["due"]), task["processInstanceId"])
            for task in unit["overdue"]
        ],
        overdue_count=unit["overdueCount"],
        working_days_by_stage=dict(unit["workingDaysByStage"]),
        escalations=unit["escalations"],
        finished=unit["finished"],
        extensions=unit["extensions"],
    )
