"""The joint meeting's month (R17): the engine's morning timer starts the process; from the first working day of a
month until it is filed, last month's report is filed once — the dashboard's own figures as PDF and CSV — and the
joint-meeting office records its meeting's resolutions with it. A first working day missed (engine or workers down)
is caught up the next morning; any other day ends quietly.

Each test runs the workers on its own business date (the first working day or not), started and stopped here:
the timer's job is executed through REST, as the engine's job executor would, never waited for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader

from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.calendar import WorkingDayCalendar
from domain.cases import REPORT_PROCESS_KEY
from domain.clock import CHINA
from domain.engine.figures import FiguresReader
from domain.timeliness.dashboard import DashboardBuilder
from domain.timeliness.monthly_report import ReportStore, first_working_day, month_title, previous_month
from domain.timeliness.report_table import NO_CASES, cells, headers, table
from tests.support.case import CaseDriver
from tests.webui.test_reports import app_on, staff

pytestmark = [pytest.mark.engine]
EMPTY_MONTH_DAY = dt.date(2026, 2, 2)  # Monday, the first working day of February 2026: January had no case here
CATCH_UP_DAY = dt.date(2026, 3, 4)  # Wednesday: March 2026's first working day (Monday the 2nd) was missed
RACE_DAY = dt.date(2026, 4, 1)  # Wednesday, the first working day of April 2026 (reports on March)


@pytest.fixture
def workers_on(worker_env, test_dir) -> Callable:
    """Start the workers with this business date for the block; stopped (SIGTERM) at its end."""

    @contextmanager
    def running(day: dt.date) -> Iterator[WorkersProcess]:
        env = {**worker_env, "HUIQI_BUSINESS_DATE": day.isoformat()}
        process = WorkersProcess(env, test_dir / f"workers-monthly-report-{day}.log").start()
        try:
            wait_for(lambda: "开始服务主题" in process.log(), "the workers to serve", timeout=60)
            yield process
        finally:
            assert process.stop() == 0, process.log()

    return running


@pytest.fixture
def calendar(worker_env) -> WorkingDayCalendar:
    """The workers' own calendar (the same schedule files)."""
    return WorkingDayCalendar(Path(worker_env["WORKING_CALENDAR_DIR"]))


@pytest.fixture
def reports_dir(worker_env) -> Path:
    return Path(worker_env["HUIQI_VAR_DIR"]) / "reports" / "monthly"


def first_working_day_after_this_month(calendar: WorkingDayCalendar) -> dt.date:
    """The day that reports on this (real) month, in which the tests' cases are started."""
    day = (dt.datetime.now(CHINA).date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def fire_report_timer(admin) -> str:
    """Execute the process definition's timer start job, as the engine's job executor would; return the new
    process instance."""
    before = {p["id"] for p in admin.get("/history/process-instance", processDefinitionKey=REPORT_PROCESS_KEY)}
    (job,) = admin.get("/job", processDefinitionKey=REPORT_PROCESS_KEY, activityId="report_timer")  # not a task's
    admin.post(f"/job/{job['id']}/execute")
    started = [
        p["id"]
        for p in admin.get("/history/process-instance", processDefinitionKey=REPORT_PROCESS_KEY)
        if p["id"] not in before
    ]
    assert len(started) == 1, started
    return started[0]


def run_of(admin, service, as_user, instance_id: str) -> CaseDriver:
    """A driver on the report process's instance (its tasks, timers and path)."""
    run = CaseDriver(admin, service, as_user)
    run.instance_id = instance_id
    return run


def stored(database, month: str):
    with database.session_scope() as session:
        return ReportStore(session).find(month)


def reports_of(database, month: str) -> int:
    with database.session_scope() as session:
        return sum(1 for report in ReportStore(session).newest_first() if report.month == month)


def dashboard_rows(admin, database, calendar, month: str, now: dt.datetime) -> dict[str, dict]:
    builder = DashboardBuilder(FiguresReader(admin), database, now)
    return {row["group"]: row for row in table(builder.build(month))}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_the_first_working_day_files_the_dashboards_figures_and_the_meetings_resolutions(
    admin, service, as_user, case, database, calendar, reports_dir, workers_on, engine_settings, monkeypatch
):
    day = first_working_day_after_this_month(calendar)
    month = previous_month(day)
    assert first_working_day(calendar, day) == day
    before = dashboard_rows(admin, database, calendar, month, dt.datetime.now(CHINA))
    with workers_on(day):
        # This month: a case closed (R12) by 县退役军人事务局, one open at 县人社局 with an approved extension (R11).
        case.accept("T-DIRECT-QUAL")
        case.complete(
            "preliminary_review", "veterans-reviewer", preliminaryResult="qualified", preliminaryOpinion="符合"
        )
        case.decide("veterans-reviewer", "予以认定")
        case.recognise("veterans-reviewer", "关于认定的通知")
        case.give_feedback()
        extended = CaseDriver(admin, service, as_user, case.counter).accept("T-DIRECT")
        extended.task("preliminary_review", "hrss-reviewer")
        request = extended.request_extension("hrss-reviewer", 3, "涉及多部门会商")
        request.complete(
            "approve_extension", "joint-office", extensionDecision="approve", approvedWorkingDays=3,
            meetingResolution="惠企联席〔2026〕9号", meetingDate=day.isoformat(), extensionOpinion="同意",
        )  # fmt: skip
        request.task("read_extension_result", "hrss-reviewer")

        run = run_of(admin, service, as_user, fire_report_timer(admin))
        meeting = run.task("hold_joint_meeting", "joint-office")
        assert meeting.name == "召开联席会议并记录决议"
        report = stored(database, month)
        assert report.process_instance_id == run.instance_id

        # The report is the dashboard's month, at the moment it was built.
        now = report.built_at.astimezone(CHINA)
        assert report.figures == list(dashboard_rows(admin, database, calendar, month, now).values())
        rows = {row["group"]: row for row in report.figures}
        assert rows["window"]["received"] - before["window"]["received"] == 2
        assert rows["window"]["finished"] - before["window"]["finished"] == 1
        assert rows["dept-veterans"]["received"] - before["dept-veterans"]["received"] == 1
        assert rows["dept-veterans"]["finished"] - before["dept-veterans"]["finished"] == 1
        assert rows["dept-hrss"]["received"] - before["dept-hrss"]["received"] == 1
        assert rows["dept-hrss"]["finished"] == before["dept-hrss"]["finished"]
        assert rows["dept-hrss"]["extensions"] - before["dept-hrss"]["extensions"] == 1
        assert report.received == rows["window"]["received"]
        # Due in 10 working days (本系统设定), at 24:00 of the last one.
        assert report.meeting_due.astimezone(CHINA) == dt.datetime.combine(
            calendar.add_working_days(day, 10), dt.time(23, 59, 59), tzinfo=CHINA
        )
        assert meeting.due.astimezone(CHINA) == report.meeting_due.astimezone(CHINA)

        title = f"{month_title(month)}惠企政策兑现办理情况报告"
        text = pdf_text(reports_dir / report.pdf_name)
        assert title in text and f"本月专窗共受理 {report.received} 件" in text and NO_CASES not in text
        for group in ("dept-veterans", "dept-hrss"):
            values = cells(rows[group])[:-1]  # the stages go to a table of their own
            assert " ".join(v or "—" for v in values[1:]) in text, (group, values)
        spreadsheet = csv_rows(reports_dir / report.csv_name)
        assert spreadsheet[0] == headers()
        assert spreadsheet[1:] == [cells(row) for row in report.figures]

        # The office records the meeting in Tasklist, with exactly its form's fields.
        run.complete(
            "hold_joint_meeting", "joint-office", meetingDate=day.isoformat(),
            meetingAttendees="县人社局 张三；县退役军人事务局 李四",
            meetingDecisions="一、县人社局本周内办结延期件。\n二、下月起按周通报。",
        )  # fmt: skip
        run.wait_ended()
    assert run.path()[-2:] == ["record_meeting_resolutions", "meeting_recorded"]
    recorded = stored(database, month)
    assert recorded.meeting_date == day and recorded.attendees == "县人社局 张三；县退役军人事务局 李四"
    assert recorded.resolutions == "一、县人社局本周内办结延期件。\n二、下月起按周通报。"

    # Shown on the report's page, by the web UI that shares the workers' var directory.
    with app_on(monkeypatch, database.url, reports_dir.parents[1], engine_settings.url) as app:
        office = staff(app, "joint-office")
        page = office.text(f"/staff/reports/{month}")
        assert "二、下月起按周通报。" in page and "县退役军人事务局 李四" in page
        downloaded = office.get(f"/staff/reports/{month}/report.pdf")
        assert downloaded.status_code == 200 and downloaded.data == (reports_dir / report.pdf_name).read_bytes()


def test_a_day_before_the_first_working_day_ends_without_a_report(
    admin, service, as_user, database, calendar, workers_on
):
    day = dt.date(2026, 2, 1)  # Sunday: February's first working day is Monday the 2nd
    assert first_working_day(calendar, day) > day
    with workers_on(day):
        run = run_of(admin, service, as_user, fire_report_timer(admin))
        run.wait_ended()
    assert run.path() == ["report_timer", "check_report_day", "is_report_day", "not_report_day"]
    assert run.variable("reportDay") is False
    with database.session_scope() as session:
        assert all(report.process_instance_id != run.instance_id for report in ReportStore(session).newest_first())


def test_a_missed_first_working_day_is_caught_up_and_then_the_days_end_quietly(
    admin, service, as_user, database, calendar, workers_on
):
    # R17: the engine or the workers were down all of 2 March; the timer of a later morning still files February.
    month = previous_month(CATCH_UP_DAY)
    assert first_working_day(calendar, CATCH_UP_DAY) < CATCH_UP_DAY and stored(database, month) is None
    with workers_on(CATCH_UP_DAY):
        run = run_of(admin, service, as_user, fire_report_timer(admin))
        meeting = run.task("hold_joint_meeting", "joint-office")
        assert run.variable("reportDay") is True and run.variable("reportMonth") == month
        report = stored(database, month)
        assert report.process_instance_id == run.instance_id
        # Due 10 working days from the day it was actually filed.
        assert meeting.due.astimezone(CHINA) == dt.datetime.combine(
            calendar.add_working_days(CATCH_UP_DAY, 10), dt.time(23, 59, 59), tzinfo=CHINA
        )

        # Filed: the next run (the next morning, or the same one) ends before building anything.
        later = run_of(admin, service, as_user, fire_report_timer(admin))
        later.wait_ended()
        assert later.path() == ["report_timer", "check_report_day", "is_report_day", "not_report_day"]
        assert later.variable("reportDay") is False and reports_of(database, month) == 1

        run.complete("hold_joint_meeting", "joint-office", meetingDate="2026-03-06", meetingDecisions="补开二月会议")
        run.wait_ended()
    assert stored(database, month).resolutions == "补开二月会议"


def pass_report_checks(admin, instance_ids: list[str], month: str) -> None:
    """Complete the runs' check_report_day as two nodes' workers would on the same morning: both find the month
    unfiled (each checked before either built)."""
    fetched = admin.post(
        "/external-task/fetchAndLock",
        {
            "workerId": "test-second-node",
            "maxTasks": 10,
            "topics": [
                {"topicName": "check_report_day", "lockDuration": 60_000, "processDefinitionKey": REPORT_PROCESS_KEY}
            ],
        },
    )
    assert sorted(task["processInstanceId"] for task in fetched) == sorted(instance_ids)
    for task in fetched:
        admin.post(
            f"/external-task/{task['id']}/complete",
            {
                "workerId": "test-second-node",
                "variables": {"reportDay": {"value": True, "type": "Boolean"}, "reportMonth": {"value": month}},
            },
        )


def test_two_runs_that_both_find_the_month_unfiled_file_one_report(
    admin, service, as_user, database, calendar, reports_dir, workers_on
):
    month = previous_month(RACE_DAY)
    assert first_working_day(calendar, RACE_DAY) == RACE_DAY and stored(database, month) is None
    # No workers yet: both runs wait at their check, which then passes for both.
    runs = [run_of(admin, service, as_user, fire_report_timer(admin)) for _ in range(2)]
    pass_report_checks(admin, [run.instance_id for run in runs], month)
    with workers_on(RACE_DAY):
        for run in runs:
            run.wait_for_activity("report_is_new")
        report = stored(database, month)
        (own,) = [run for run in runs if run.instance_id == report.process_instance_id]
        (other,) = [run for run in runs if run is not own]
        other.wait_ended()
        assert other.path()[-1] == "report_already_filed" and "hold_joint_meeting" not in other.path()
        assert reports_of(database, month) == 1
        assert sorted(p.name for p in reports_dir.glob(f"{month}-*")) == sorted([report.pdf_name, report.csv_name])
        own.complete("hold_joint_meeting", "joint-office", meetingDate="2026-04-03", meetingDecisions="三月无议定事项")
        own.wait_ended()


def test_a_month_without_cases_says_so_and_a_second_run_files_nothing_more(
    admin, service, as_user, database, calendar, reports_dir, workers_on
):
    assert first_working_day(calendar, EMPTY_MONTH_DAY) == EMPTY_MONTH_DAY
    with workers_on(EMPTY_MONTH_DAY):
        first = run_of(admin, service, as_user, fire_report_timer(admin))
        first.task("hold_joint_meeting", "joint-office")
        report = stored(database, "2026-01")
        assert report.received == 0
        assert NO_CASES in pdf_text(reports_dir / report.pdf_name)
        spreadsheet = csv_rows(reports_dir / report.csv_name)
        assert spreadsheet[-1] == ["说明", NO_CASES] and all(row[1] == "0" for row in spreadsheet[1:-1])

        # The timer runs again the same day (a second node, an operator): the month is filed, nothing is built.
        second = run_of(admin, service, as_user, fire_report_timer(admin))
        second.wait_ended()
        assert second.path()[-1] == "not_report_day"
        assert reports_of(database, "2026-01") == 1 and stored(database, "2026-01").pdf_name == report.pdf_name
        assert sorted(p.name for p in reports_dir.glob("2026-01-*")) == sorted([report.pdf_name, report.csv_name])
        assert "hold_joint_meeting" not in second.path()

        # Not recorded by its due date: kept for the assessment and shown to the managers (R18).
        first.fire_timer("hold_joint_meeting_overdue")
        first.wait_for_activity("meeting_overdue_reported")
        assert stored(database, "2026-01").meeting_overdue_at is not None
        first.complete(
            "hold_joint_meeting", "joint-office", meetingDate="2026-02-20", meetingDecisions="一月无件，无议定事项"
        )
        first.wait_ended()
    assert stored(database, "2026-01").resolutions == "一月无件，无议定事项"
