"""The timeliness figures as the engine computes them (GET /engine-rest/huiqi/timeliness): the one place the web UI's
dashboard, its CSV, the monthly report, the yearly view and the Cockpit plugin read (issue 13 item 3, issue 14
item 2). Checked here against a plain count over the history REST API with the Python calendar, and refused with
a reason for a bad period or a user without READ_HISTORY."""

from __future__ import annotations

import datetime as dt
from statistics import mean

import pytest

from domain.calendar import WorkingDayCalendar
from domain.cases import PROCESS_KEY
from domain.clock import CHINA
from domain.config import Settings
from domain.engine.errors import EngineForbidden, EngineRequestError
from domain.engine.figures import FiguresReader
from domain.engine.variables import parse_date
from domain.timeliness.reference import UNITS, reference_data

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def plain_count(admin, group: str, calendar: WorkingDayCalendar) -> dict:
    """The department's figures counted one by one from the history REST API (the old way, slow at volume)."""
    cases = admin.get(
        "/history/process-instance",
        processDefinitionKey=PROCESS_KEY,
        variables=f"departmentGroup_eq_{group}",
        maxResults=10000,
    )
    tasks = admin.get(
        "/history/task",
        processDefinitionKey=PROCESS_KEY,
        taskHadCandidateGroup=group,
        finished="true",
        maxResults=10000,
    )
    days: dict[str, list[int]] = {}
    for task in tasks:
        start = parse_date(task["startTime"]).astimezone(CHINA).date()
        end = parse_date(task["endTime"]).astimezone(CHINA).date()
        days.setdefault(task["name"], []).append(calendar.working_days_between(start, end))
    with_due = [t for t in tasks if t.get("due")]
    return {
        "received": len(cases),
        "tasksDone": len(with_due),
        "tasksOnTime": sum(1 for t in with_due if parse_date(t["endTime"]) <= parse_date(t["due"])),
        "workingDaysByStage": {name: round(mean(values), 1) for name, values in sorted(days.items())},
    }


def test_the_engine_counts_as_the_history_does(admin, case):
    case.accept("T-DIRECT")
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="ineligible", preliminaryOpinion="不符合")
    case.task("confirm_feedback", "window-clerk")

    answer = FiguresReader(admin).figures(None, dt.datetime.now(CHINA))
    units = {unit["group"]: unit for unit in answer["units"]}
    assert list(units) == [unit.group_id for unit in UNITS]  # the county's order, every unit even without cases
    hrss = units["dept-hrss"]
    expected = plain_count(admin, "dept-hrss", WorkingDayCalendar(Settings().calendar_dir))
    assert {key: hrss[key] for key in expected} == expected
    assert hrss["received"] >= 1 and hrss["tasksDone"] >= 1
    assert units["window"]["received"] >= hrss["received"]
    assert hrss["name"] == "县人社局（含就业局、社保局）"


def test_a_month_counts_only_its_own_cases(admin):
    reader = FiguresReader(admin)
    empty = reader.figures("2019-01", dt.datetime.now(CHINA))  # before the service opened
    assert all(unit["received"] == 0 and unit["tasksDone"] == 0 for unit in empty["units"])
    assert empty["receivedByMonth"] == {}


def test_the_steps_of_the_process_have_their_times(admin, case):
    case.accept("T-DIRECT")
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="ineligible", preliminaryOpinion="不符合")
    case.task("confirm_feedback", "window-clerk")
    steps = {step["activityId"]: step for step in FiguresReader(admin).steps(PROCESS_KEY)["steps"]}
    review = steps["preliminary_review"]
    assert review["activityName"] == "初步审查" and review["finished"] >= 1
    assert review["averageWorkingDays"] is not None and review["averageHours"] is not None


def test_the_figures_kept_as_cases_move_equal_those_counted_afresh_from_the_history(admin, case, as_user):
    """The figures' tables, kept current event by event, hold what a rebuild from the whole history counts.

    Counted afresh first: the tables keep the cases whose history the cleanup has removed (test_history_cleanup's),
    a rebuild cannot; what is compared is what the events of this case and the rebuild make of it."""
    admin.post("/huiqi/timeliness/rebuild")
    case.accept("T-DIRECT")
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="ineligible", preliminaryOpinion="不符合")
    case.task("confirm_feedback", "window-clerk")  # at rest: no worker moves a case between the reads
    reader, now = FiguresReader(admin), dt.datetime.now(CHINA)
    periods = [None, f"{now.year}", f"{now:%Y-%m}"]
    kept = [reader.figures(period, now) for period in periods]

    with pytest.raises(EngineForbidden, match="camunda-admin"):  # a manager reads the figures, never rebuilds them
        as_user("manager").post("/huiqi/timeliness/rebuild")
    rebuilt = admin.post("/huiqi/timeliness/rebuild")
    assert rebuilt["rebuilt"] is True

    assert [reader.figures(period, now) for period in periods] == kept
    hrss = {unit["group"]: unit for unit in kept[0]["units"]}["dept-hrss"]
    assert hrss["received"] >= 1 and hrss["tasksDone"] >= 1 and hrss["open"] >= 1  # this case waits at 确认并反馈企业


@pytest.mark.parametrize("period", ["2026-13", "26-11", "abc", "2026-11-01", "x" * 300])
def test_a_bad_period_is_refused_with_its_reason(admin, period):
    with pytest.raises(EngineRequestError) as refused:
        FiguresReader(admin).figures(period, dt.datetime.now(CHINA))
    assert refused.value.status == 400 and "统计期间" in str(refused.value) and "2026-11" in str(refused.value)


def test_a_bad_moment_or_key_is_refused(admin):
    with pytest.raises(EngineRequestError, match="at 不正确"):
        admin.get("/huiqi/timeliness", at="yesterday")
    with pytest.raises(EngineRequestError, match="processDefinitionKey"):
        admin.get("/huiqi/timeliness/steps", processDefinitionKey="x'; DROP TABLE ACT_HI_TASKINST; --")


def test_only_those_who_may_read_the_history_see_the_figures(as_user):
    assert FiguresReader(as_user("manager")).figures(None, dt.datetime.now(CHINA))["units"]
    for user in ("window-clerk", "industry-reviewer", "expert-1"):  # Tasklist users: their own tasks only
        with pytest.raises(EngineForbidden, match="READ_HISTORY"):
            FiguresReader(as_user(user)).figures(None, dt.datetime.now(CHINA))


def test_anonymous_callers_are_refused(engine_settings):
    import requests

    answer = requests.get(f"{engine_settings.url}/huiqi/timeliness", timeout=10)
    assert answer.status_code == 401


def test_the_reference_lists_the_calendar_the_python_side_counts_with(tmp_path):
    calendar = WorkingDayCalendar(tmp_path)
    data = reference_data(calendar, dt.date(2026, 11, 28))
    years = data["calendar"]["years"]
    assert sorted(years) == [str(year) for year in range(2020, 2028)]
    assert "2026-10-01" in years["2026"]["holidays"]  # National Day
    for year, days in years.items():
        assert days["provisional"] == calendar.is_provisional(int(year))
        assert all(not calendar.is_working_day(dt.date.fromisoformat(day)) for day in days["holidays"])
        assert all(calendar.is_working_day(dt.date.fromisoformat(day)) for day in days["workdays"])
    assert data["units"][0]["group"] == "window"
