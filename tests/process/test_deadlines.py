"""Overdue escalation (R18), deadline extension (R11), and a year the calendar does not know."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from domain.deadlines import PROVISIONAL_MARK
from domain.engine import EngineForbidden
from domain.notices.models import Notice
from domain.notices.services import NoticeService
from domain.timeliness.models import OverdueEscalation

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]

SCHEDULE_2098 = """
year = 2098
source = "测试数据（非官方）"

[[holidays]]
name = "劳动节"
start = 2098-05-01
end = 2098-05-05

[[workdays]]
name = "劳动节调休上班"
date = 2098-06-07
"""


def test_an_overdue_task_is_escalated_and_stays_with_the_department(case, database):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")

    case.fire_timer("preliminary_review_overdue")

    supervise = case.task("supervise_overdue", "joint-office")
    assert case.candidate_groups(supervise.id_) == {"joint-meeting-office"}
    assert "初步审查（县工信局）：期限 2026年10月10日 23:59，已超期" in case.variable("overdueSummary")
    # Non-interrupting: the department still has its task, due as before.
    assert case.task("preliminary_review", "industry-reviewer").id_ == review.id_
    with database.session_scope() as session:
        (escalation,) = session.scalars(
            select(OverdueEscalation).where(OverdueEscalation.application_number == case.key)
        )
        assert (escalation.task_id, escalation.responsible_group) == (review.id_, "dept-industry")
        warned = session.scalars(
            select(Notice.recipient).where(Notice.application_number == case.key, Notice.kind == "超期预警")
        )
        assert set(warned) == {"dept-industry", "joint-meeting-office"}
    case.complete("supervise_overdue", "joint-office", supervisionOpinion="请县工信局两日内办结")
    case.wait_for_activity("overdue_supervised")  # after the opinion is sent to the department


def test_an_approved_extension_moves_the_due_date_and_the_timer(case, admin, database):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")
    assert review.due.isoformat() == "2026-10-10T23:59:59+08:00"

    # R11: the department asks for 3 more working days; the joint-meeting office approves.
    request = case.request_extension("industry-reviewer", 3, "涉及多部门会商")
    approval = request.task("approve_extension", "joint-office")
    assert approval.due.isoformat() == "2026-09-29T23:59:59+08:00"
    assert request.variable("currentDeadlines") == "初步审查期限（R4）：2026年10月10日"
    request.complete(
        "approve_extension",
        "joint-office",
        extensionDecision="approve",
        approvedWorkingDays=3,
        meetingResolution="惠企联席〔2026〕5号",
        meetingDate="2026-09-28",
        extensionOpinion="同意延长 3 个工作日",
    )

    result = request.task("read_extension_result", "industry-reviewer")
    assert result.assignee == "industry-reviewer"
    moved = case.task("preliminary_review", "industry-reviewer")
    assert moved.due.isoformat() == "2026-10-14T23:59:59+08:00"  # 12, 13, 14 Oct
    (timer,) = admin.get("/job", processInstanceId=case.instance_id, activityId="preliminary_review_overdue")
    assert timer["dueDate"] == "2026-10-14T23:59:59.000+0800"
    assert case.variable("preliminaryReviewDue") == "2026-10-14T23:59:59.000+0800"
    assert request.variable("extensionOutcome") == "approved"
    assert "惠企联席〔2026〕5号" in request.variable("extensionResultText")
    with database.session_scope() as session:  # the enterprise and the window are told the new date
        told = {(n.recipient, n.kind) for n in NoticeService(session).for_application(case.key) if n.kind == "延期告知"}
        assert told == {("91350100M000100Y43", "延期告知"), ("window", "延期告知")}
        body = next(n.body for n in NoticeService(session).for_application(case.key) if n.kind == "延期告知")
        assert "2026年10月10日 → 2026年10月14日" in body and "惠企联席〔2026〕5号" in body


def approve(request, days: int) -> None:
    request.complete("approve_extension", "joint-office", extensionDecision="approve", approvedWorkingDays=days,
                     meetingResolution="惠企联席〔2026〕6号", meetingDate="2026-09-28",
                     extensionOpinion="同意")  # fmt: skip


def test_an_extension_moves_the_waits_without_a_task_and_rearms_a_fired_timer(case, admin):
    """R11: the 公示 (a wait with no task) moves; the finance bureau asks for its own step, whose overdue timer
    had fired: it is armed again on the new date."""
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.wait_for_activity("await_objection")
    request = case.request_extension("hrss-reviewer", 2, "公示期间需补充核查")
    request.task("approve_extension", "joint-office")
    assert "公示期截止：2026年10月10日" in request.variable("currentDeadlines")
    approve(request, 2)
    request.task("read_extension_result", "hrss-reviewer")
    assert case.variable("objectionPeriodEnds") == "2026-10-13T23:59:59.000+0800"
    (timer,) = admin.get("/job", processInstanceId=case.instance_id, activityId="objection_period_over")
    assert timer["dueDate"] == "2026-10-13T23:59:59.000+0800"

    case.announce()
    approval = case.task("approve_disbursement", "finance-clerk")
    case.fire_timer("approve_disbursement_overdue")  # the finance bureau is late …
    case.task("supervise_overdue", "joint-office")
    finance = case.request_extension("finance-clerk", 3, "等待国库资金到位")  # … and asks for more time
    finance.task("approve_extension", "joint-office")
    assert finance.variable("departmentName") == "县财政局"
    assert "财政审核拨付期限：2026年10月16日" in finance.variable("currentDeadlines")
    approve(finance, 3)
    finance.task("read_extension_result", "finance-clerk")
    again = case.task("approve_disbursement", "finance-clerk")
    assert again.id_ != approval.id_ and again.due.isoformat() == "2026-10-21T23:59:59+08:00"
    (rearmed,) = admin.get("/job", processInstanceId=case.instance_id, activityId="approve_disbursement_overdue")
    assert rearmed["dueDate"] == "2026-10-21T23:59:59.000+0800"
    case.complete("supervise_overdue", "joint-office", supervisionOpinion="已批准延期")


def test_another_departments_extension_request_is_refused_with_the_reason(case):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")
    request = case.request_extension("tax-reviewer", 5, "想多要几天")
    result = request.task("read_extension_result", "tax-reviewer")
    assert "不属于负责该办件的部门" in request.variable("extensionResultText")
    assert request.variable("extensionOutcome") == "invalid"
    assert result.assignee == "tax-reviewer"
    assert case.task("preliminary_review", "industry-reviewer").due.isoformat() == "2026-10-10T23:59:59+08:00"


def test_the_window_cannot_ask_for_an_extension(case):
    with pytest.raises(EngineForbidden):
        case.request_extension("window-clerk", 1, "专窗不应发起")


def test_a_year_without_a_schedule_counts_provisionally_until_the_operator_loads_it(
    case, admin, worker_env, test_dir, tmp_path, database
):
    case.accept("T-FAR")  # the application deadline is in 2098, which no official calendar knows yet
    review = case.task("preliminary_review", "tax-reviewer")  # never an incident: the case goes on
    # Sun 1 Jun 2098 + 3 working days on the statutory holidays: 2, 3, (4 Jun is 端午) 5 Jun.
    assert review.due.isoformat() == "2098-06-05T23:59:59+08:00"
    timer = admin.get("/job", processInstanceId=case.instance_id, activityId="preliminary_review_overdue")[0]
    assert timer["dueDate"].startswith("2098-06-05T23:59:59")
    department = case.as_user("tax-reviewer")  # Tasklist shows the task's description: marked provisional
    assert PROVISIONAL_MARK in (department.get(f"/task/{review.id_}")["description"] or "")

    official = tmp_path / "2098.toml"
    official.write_text(SCHEDULE_2098, encoding="utf-8")  # 4 June is a working day in the notice
    try:
        loaded = load_calendar(official, worker_env)
        assert case.key in loaded and "2098年06月05日 → 2098年06月04日" in loaded
        review = case.task("preliminary_review", "tax-reviewer")
        assert review.due.isoformat() == "2098-06-04T23:59:59+08:00"
        assert admin.get(f"/job/{timer['id']}")["dueDate"].startswith("2098-06-04T23:59:59")
        assert case.variable("preliminaryReviewDue").startswith("2098-06-04T23:59:59")
        assert PROVISIONAL_MARK not in (department.get(f"/task/{review.id_}")["description"] or "")
        with database.session_scope() as session:  # the department holding the task is told
            told = session.scalars(select(Notice).where(Notice.application_number == case.key)).all()
            assert any(n.kind == "期限调整" and n.recipient == "dept-tax" for n in told)
        assert case.key not in load_calendar(official, worker_env)  # the same file twice: nothing moves
    finally:
        (test_dir / "calendar" / "2098.toml").unlink(missing_ok=True)


def load_calendar(path, env) -> str:
    """The operator's command, as the operator runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "domain", "calendar", "load", str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout

