"""Routing (R3) and preliminary review (R4, R5): candidate groups, due dates on the official calendar,
correction by the enterprise, rejection feedback."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for
from domain.notices.services import NoticeService

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_preliminary_review_is_due_three_working_days_after_the_deadline(case):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")
    # Deadline Wed 30 Sep; 1–7 Oct National Day; 8, 9 Oct; Sat 10 Oct is a 调休 working day (R4).
    assert review.due.isoformat() == "2026-10-10T23:59:59+08:00"
    assert case.variable("routingDue") == "2026-10-08T23:59:59.000+0800"  # R3
    assert case.candidate_groups(review.id_) == {"dept-industry"}
    assert case.variable("departmentName") == "县工信局"
    assert case.variable("policyKind") == "qualification"


def test_without_a_deadline_the_clock_starts_at_acceptance(case):
    case.accept("T-DIRECT")
    review = case.task("preliminary_review", "hrss-reviewer")
    assert review.due.isoformat() == "2026-10-08T23:59:59+08:00"  # Mon 28 Sep + 3: 29, 30 Sep, 8 Oct


def test_an_unknown_policy_is_routed_by_the_window_by_hand(case):
    case.accept("XX-9999-999")
    manual = case.task("manual_routing", "window-clerk")
    assert manual.due.isoformat() == "2026-09-29T23:59:59+08:00"  # R3 from acceptance
    assert case.candidate_groups(manual.id_) == {"window"}
    assert "XX-9999-999" in case.variable("routingProblem")

    # A code the catalogue does not know either: the window is asked again, with the reason.
    case.complete("manual_routing", "window-clerk", routingChoice="route", routedPolicyCode="XX-0000",
                  routingNote="按企业口述的政策编码")  # fmt: skip
    wait_for(lambda: len(case.admin.get("/task", processInstanceId=case.instance_id,
                                        taskDefinitionKey="manual_routing")) == 1 and "XX-0000" in case.variable(
        "routingProblem"), "the window asked again")  # fmt: skip

    # The window names the catalogue's policy: its department, kind, level and deadlines follow (R3, R4).
    case.complete("manual_routing", "window-clerk", routingChoice="route", routedPolicyCode="T-DIRECT",
                  routingNote="经核实属人社局的政策")  # fmt: skip
    review = case.task("preliminary_review", "hrss-reviewer")
    assert case.candidate_groups(review.id_) == {"dept-hrss"}
    assert review.due.isoformat() == "2026-10-08T23:59:59+08:00"
    assert case.variable("departmentName") == "县人社局（含就业局、社保局）"
    assert case.variable("policyCode") == "T-DIRECT" and case.variable("policyKind") == "funding"
    assert case.path()[6:13] == [
        "materials_complete",
        "routing_entry",
        "route_application",
        "policy_unknown",
        "manual_routing",
        "manual_routing_choice",
        "routing_entry",
    ]


def test_the_window_can_find_a_case_outside_the_service(case):
    """R3: a case that is no 惠企政策 at all is refused by the window, with the reason in the result notice."""
    case.accept("XX-8888")
    case.complete("manual_routing", "window-clerk", routingChoice="refuse",
                  routingRefusal="所申报事项不属于惠企政策兑现范围", routingNote="已电话告知企业")  # fmt: skip
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "not-accepted"
    assert "不属于惠企政策兑现范围" in case.variable("resultNotice")


def test_not_qualified_is_explained_and_corrected_then_reviewed_again(case, database):
    case.accept("T-QUAL")
    case.complete(
        "preliminary_review",
        "industry-reviewer",
        preliminaryResult="incomplete",
        preliminaryOpinion="审计报告年度不符",
        correctionGuidance="请提供 2024、2025 年度审计报告",
    )

    case.wait_for_activity("await_correction")
    with database.session_scope() as session:
        notice = NoticeService(session).for_application(case.key)[-1]
        assert notice.kind == "不符合条件告知"  # R5: the department tells why and guides
        assert "审计报告年度不符" in notice.body and "2024、2025 年度审计报告" in notice.body
    assert case.variable("correctionDue") == "2026-10-16T23:59:59.000+0800"

    case.supplement()  # at the counter: the audit report

    again = case.task("preliminary_review", "industry-reviewer")
    assert again.due.isoformat() == "2026-10-10T23:59:59+08:00"  # the original deadline still holds
    assert case.path().count("preliminary_review") == 2
    assert "register_supplement" in case.path()


def test_not_eligible_at_all_ends_with_rejection_feedback(case, database):
    case.accept("T-QUAL")
    case.complete(
        "preliminary_review",
        "industry-reviewer",
        preliminaryResult="ineligible",
        preliminaryOpinion="企业注册地不在本县，不符合申报条件",
    )
    confirm = case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "rejected"
    assert "企业注册地不在本县" in case.variable("resultNotice")
    assert case.candidate_groups(confirm.id_) == {"window"}
    case.give_feedback(channel="phone")


def test_no_correction_in_time_is_withdrawn(case):
    case.accept("T-QUAL")
    case.complete(
        "preliminary_review",
        "industry-reviewer",
        preliminaryResult="incomplete",
        preliminaryOpinion="缺少证明",
        correctionGuidance="补交证明",
    )
    case.fire_timer("correction_expired")
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "withdrawn"
