"""Every staff step has a due date and an escalation; a step a case comes back to is due from its
return (issue 10, items 3 and 4). Business date Mon 28 Sep 2026: 29, 30 Sep, then 8, 9, 10 (调休) Oct."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for
from domain.notices.services import NoticeService
from tests.support.case import FINANCE, WINDOW

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]
ACCOUNT = {"payeeBank": "县农商银行", "payeeAccount": "6228480012345678"}


def test_the_windows_acceptance_check_is_due_and_escalated(case):
    case.start("T-DIRECT", **ACCOUNT)
    check = case.task("check_completeness", WINDOW)
    assert check.due.isoformat() == "2026-09-29T23:59:59+08:00"  # R3's day
    case.fire_timer("check_completeness_overdue")
    case.task("supervise_overdue", "joint-office")
    assert "受理审查（县行政服务中心惠企政策兑现专窗）" in case.variable("overdueSummary")


def test_objection_handling_is_the_departments_own_step(case):
    case.qualify("T-DIRECT", "hrss-reviewer", **ACCOUNT)
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.raise_objection("某公民", "人数存疑")
    handling = case.task("resolve_objection", "hrss-reviewer")
    assert handling.due.isoformat() == "2026-10-10T23:59:59+08:00"  # 5 working days (our choice)
    case.fire_timer("resolve_objection_overdue")
    case.task("supervise_overdue", "joint-office")
    assert "处理异议（县人社局" in case.variable("overdueSummary")


def test_a_case_the_finance_bureau_returns_is_due_from_its_return(case):
    case.qualify("T-DIRECT", "hrss-reviewer", **ACCOUNT)
    first = case.task("decide", "hrss-reviewer")
    assert first.due.isoformat() == "2026-09-29T23:59:59+08:00"  # R7: 1 working day
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.announce()
    approval = case.task("approve_disbursement", FINANCE)
    assert approval.due.isoformat() == "2026-10-16T23:59:59+08:00"  # R9: 10 working days from the decision
    case.complete("approve_disbursement", FINANCE, disbursementDecision="return", financeOpinion="请核实人数")
    again = wait_for(
        lambda: case.path().count("decide") == 2 and case.task("decide", "hrss-reviewer"), "the case back"
    )
    assert again.due.isoformat() == "2026-10-10T23:59:59+08:00"  # 5 working days from the return, not 29 Sep
    assert "reopen_decision" in case.path()


def test_the_offices_own_lateness_goes_to_the_managers(case, database):
    case.accept("T-QUAL")
    case.fire_timer("preliminary_review_overdue")
    supervision = case.task("supervise_overdue", "joint-office")
    assert supervision.due.isoformat() == "2026-09-30T23:59:59+08:00"  # 2 working days (our choice)
    case.fire_timer("supervise_overdue_overdue")
    case.wait_for_activity("supervision_overdue_reported")
    with database.session_scope() as session:
        managers = [n for n in NoticeService(session).staff_inbox(["managers"]) if n.application_number == case.key]
    assert managers and "督办超期办件" in managers[0].body
    assert len(case.admin.get("/task", processInstanceId=case.instance_id, taskDefinitionKey="supervise_overdue")) == 1


def test_the_extension_decision_and_its_result_are_due(case, database):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")
    request = case.request_extension("industry-reviewer", 3, "涉及多部门会商")
    request.task("approve_extension", "joint-office")
    request.fire_timer("approve_extension_overdue")
    request.wait_for_activity("approval_overdue_reported")
    request.complete("approve_extension", "joint-office", extensionDecision="reject", extensionOpinion="不同意")
    result = request.task("read_extension_result", "industry-reviewer")
    assert result.due.isoformat() == "2026-09-30T23:59:59+08:00"
    with database.session_scope() as session:
        inbox = [n.body for n in NoticeService(session).staff_inbox(["managers"]) if "审批延期申请" in n.body]
    assert inbox
