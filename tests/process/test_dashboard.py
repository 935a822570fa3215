"""The timeliness figures (R18) on the real engine: received, open, overdue by application number, on time."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import CHINA
from domain.engine.figures import FiguresReader
from domain.timeliness.dashboard import DashboardBuilder

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def figures(admin, database, tmp_path, now, month=None):
    builder = DashboardBuilder(FiguresReader(admin), database, now)
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


def test_a_case_fed_back_is_closed_while_its_supervision_goes_on(admin, database, tmp_path, case):
    case.accept("T-DIRECT-QUAL")
    case.task("preliminary_review", "veterans-reviewer")
    case.fire_timer("preliminary_review_overdue")  # late: the joint-meeting office supervises (R18)
    case.task("supervise_overdue", "joint-office")
    case.complete("preliminary_review", "veterans-reviewer", preliminaryResult="qualified", preliminaryOpinion="符合")
    case.decide("veterans-reviewer", "予以认定")
    case.recognise("veterans-reviewer", "关于认定的通知")
    case.complete("confirm_feedback", "window-clerk", feedbackChannel="portal", feedbackConfirmed=True)
    case.wait_for_activity("case_closed")
    assert admin.get(f"/process-instance/{case.instance_id}")["id"]  # still running: the supervision is open

    now = dt.datetime.now(CHINA)
    units, _ = figures(admin, database, tmp_path, now)
    assert units["window"].received >= units["dept-veterans"].received >= 1  # the window receives every case
    assert units["window"].name == "县行政服务中心惠企政策兑现专窗"


def test_the_web_uis_on_time_percent_is_the_engines(admin, database, tmp_path, case):
    # Issue 13: the percent is the engine's (Math.round, half up), never recomputed with Python's half-even round().
    case.accept("T-DIRECT")
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="ineligible", preliminaryOpinion="不符合")
    case.task("confirm_feedback", "window-clerk")
    now = dt.datetime.now(CHINA)
    for period in (None, f"{now:%Y-%m}", f"{now:%Y}"):
        answer = admin.get("/huiqi/timeliness", at=now.isoformat(), **({"period": period} if period else {}))
        engine = {unit["group"]: unit["onTimePercent"] for unit in answer["units"]}
        builder = DashboardBuilder(FiguresReader(admin), database, now)
        dashboard = builder.build_year(int(period)) if period and len(period) == 4 else builder.build(period)
        assert {item.group: item.on_time_percent for item in dashboard.departments} == engine, period
        assert engine["dept-hrss"] is not None
