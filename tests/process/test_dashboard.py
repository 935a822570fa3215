"""The timeliness figures (R18) on the real engine: received, open, overdue by application number, on time."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar import WorkingDayCalendar
from domain.clock import CHINA
from domain.engine.history import HistoryReader
from domain.engine.tasks import TaskGateway
from domain.timeliness.dashboard import DashboardBuilder

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def figures(admin, database, tmp_path, now, month=None):
    builder = DashboardBuilder(HistoryReader(admin), TaskGateway(admin), database, WorkingDayCalendar(tmp_path), now)
    dashboard = builder.build(month)
    return {item.group: item for item in dashboard.departments}, dashboard


def test_a_late_task_is_listed_by_its_application_number(admin, database, tmp_path, case):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")  # due 2026-10-10 23:59:59

    before, _ = figures(admin, database, tmp_path, dt.datetime(2026, 10, 10, 12, tzinfo=CHINA))
    after, dashboard = figures(admin, database, tmp_path, dt.datetime(2026, 10, 12, 9, tzinfo=CHINA))

    assert case.key not in [t.application_number for t in before["dept-industry"].overdue]
    late = [t for t in after["dept-industry"].overdue if t.application_number == case.key]
    assert [t.task_name for t in late] == ["初步审查"]
    assert after["dept-industry"].received >= 1 and after["dept-industry"].open >= 1
    assert after["dept-banks"].received == 0
    assert sum(dashboard.received_by_month.values()) >= 1


def test_on_time_counts_the_tasks_finished_before_their_due_date(admin, database, tmp_path, case):
    case.accept("T-DIRECT")
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="ineligible", preliminaryOpinion="不符合")
    case.task("confirm_feedback", "window-clerk")
    hrss, _ = figures(admin, database, tmp_path, dt.datetime.now(CHINA))
    assert hrss["dept-hrss"].tasks_done >= 1
    # Completed today (real time, November 2026) against a due date of 8 October: late.
    assert hrss["dept-hrss"].tasks_on_time < hrss["dept-hrss"].tasks_done
    assert "初步审查" in hrss["dept-hrss"].working_days_by_stage
