"""The dashboard takes the engine's on-time percent as it is (issue 13): the web UI, the monthly report's PDF and
CSV and the yearly CSV show what Cockpit shows, half cases included."""

from __future__ import annotations

import datetime as dt

from domain.clock import CHINA
from domain.timeliness.dashboard import DashboardBuilder
from domain.timeliness.report_table import cells, figures_row, to_csv
from domain.timeliness.yearly import assess


def unit(group: str, done: int, on_time: int, percent: float | None) -> dict:
    return {
        "group": group, "name": group, "received": done, "open": 0, "finished": done, "tasksDone": done,
        "tasksOnTime": on_time, "onTimePercent": percent, "escalations": 0, "extensions": 0,
        "workingDaysByStage": {}, "overdueCount": 0, "overdue": [],
    }  # fmt: skip


class EngineAnswer:
    """A FiguresReader that answers what TimelinessFigures.java computed (Math.round: 6.25 → 6.3)."""

    def figures(self, period, now) -> dict:
        units = [unit("dept-hrss", 16, 1, 6.3), unit("dept-banks", 0, 0, None), unit("window", 8, 7, 87.5)]
        return {"units": units, "receivedByMonth": {}, "calendarGaps": [], "provisionalYears": []}


def dashboard(database, period=None):
    return DashboardBuilder(EngineAnswer(), database, dt.datetime(2026, 11, 2, 9, tzinfo=CHINA)).build(period)


def test_a_half_case_shows_the_engines_percent_not_a_half_even_one(database):
    assert round(100 * 1 / 16, 1) == 6.2  # what the web UI used to show beside Cockpit's 6.3
    figures = {item.group: item.on_time_percent for item in dashboard(database).departments}
    assert figures == {"dept-hrss": 6.3, "dept-banks": None, "window": 87.5}


def test_the_reports_and_the_yearly_csv_carry_the_engines_percent(database):
    (hrss, banks, _) = dashboard(database, "2026-10").departments
    assert figures_row(hrss)["on_time_percent"] == 6.3 and "6.3" in cells(figures_row(hrss))
    assert figures_row(banks)["on_time_percent"] is None  # no task done: an empty cell, not 0
    assert ",6.3," in to_csv([figures_row(hrss)]).decode("utf-8-sig")
    yearly = assess(DashboardBuilder(EngineAnswer(), database, dt.datetime(2026, 11, 2, tzinfo=CHINA)), 2026)
    assert ",6.3," in yearly.csv().decode("utf-8-sig")
