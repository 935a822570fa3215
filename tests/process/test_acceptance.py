"""Window acceptance (R1, R2): completeness against the 申报指南, one notice of every missing item,
supplement or withdrawal, and policies no longer open; every end goes through unified feedback (R12)."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for
from domain.applications.services import FeedbackService
from domain.notices.services import NoticeService
from tests.support.policies import ALL_MATERIALS

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_incomplete_materials_are_told_once_then_supplemented(case, database, as_user):
    case.start("T-QUAL", creditCode="91350100M000100Y43")
    check = case.task("check_completeness", "window-clerk")
    assert case.candidate_groups(check.id_) == {"window"}
    assert [m["value"] for m in case.variable_json("requiredMaterials")] == ALL_MATERIALS

    case.complete("check_completeness", "window-clerk", providedMaterials=["M01"])

    case.wait_for_activity("await_supplement")
    assert case.variable("supplementDue") == "2026-10-16T23:59:59.000+0800"  # 10 working days
    with database.session_scope() as session:
        (notice,) = NoticeService(session).for_application(case.key)
        assert notice.kind == "补正告知"
        # 一次性告知: every missing item in the one notice
        assert "1. 营业执照副本复印件" in notice.body and "2. 近两年财务审计报告" in notice.body
        assert "2026年10月16日" in notice.body

    case.supplement()  # at the counter
    case.complete("check_completeness", "window-clerk", providedMaterials=ALL_MATERIALS)

    review = case.task("preliminary_review", "industry-reviewer")
    assert case.candidate_groups(review.id_) == {"dept-industry"}
    assert case.path()[:15] == [
        "application_received",
        "prepare_acceptance",
        "acceptance_entry",
        "open_acceptance_check",
        "check_completeness",
        "assess_completeness",
        "materials_complete",
        "supplement_notice_entry",
        "send_supplement_notice",
        "await_supplement",
        "supplement_received",
        "acceptance_entry",
        "open_acceptance_check",
        "check_completeness",
        "assess_completeness",
    ]


def test_an_invalid_credit_code_is_a_missing_item(case, database):
    case.start("T-QUAL", creditCode="91350100M000100Y44")  # wrong check digit
    case.complete("check_completeness", "window-clerk", providedMaterials=ALL_MATERIALS)
    case.wait_for_activity("await_supplement")
    assert case.variable_json("missingMaterials") == ["有效的统一社会信用代码（所填代码校验不通过，请核对营业执照）"]


def test_no_supplement_in_time_closes_the_case_as_withdrawn(case, database):
    case.start("T-QUAL")
    case.complete("check_completeness", "window-clerk", providedMaterials=[])
    # R2, R16: two working days before the period ends the window is asked to reach the enterprise.
    case.wait_for_activity("await_supplement")
    assert case.variable("supplementContactDue") == "2026-10-14T23:59:59.000+0800"
    case.fire_timer("supplement_contact_due")
    contact = case.task("contact_enterprise", "window-clerk")
    assert contact.due.isoformat() == "2026-10-16T23:59:59+08:00"  # the supplement deadline
    assert case.candidate_groups(contact.id_) == {"window"}
    case.complete("contact_enterprise", "window-clerk", contactRecord="10月14日电话联系，企业表示放弃申报",
                  supplementDecision="withdraw")  # fmt: skip

    notice = case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "withdrawn"
    assert "逾期未补正" in case.variable("resultNotice")
    assert notice.due.isoformat() == "2026-09-29T23:59:59+08:00"  # the due date staff see in Tasklist
    case.give_feedback()

    path = case.path()  # link events (统一反馈) leave no trace in the history
    assert path[-8:] == [
        "await_supplement",
        "supplement_contact_due",
        "contact_enterprise",
        "supplement_decision",
        "prepare_result_notice",
        "confirm_feedback",
        "notify_enterprise",
        "case_closed",
    ], " > ".join(path)
    with database.session_scope() as session:
        feedback = FeedbackService(session).for_application(case.key)
        assert feedback.result == "withdrawn"
        assert [n.kind for n in NoticeService(session).for_application(case.key)] == ["补正告知", "结果反馈"]


def test_a_policy_past_its_deadline_is_not_accepted(case, database):
    case.start("T-CLOSED")
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "not-accepted"
    assert "已截止受理" in case.variable("resultNotice")
    case.give_feedback()
    assert case.path() == [
        "application_received",
        "prepare_acceptance",
        "policy_closed",
        "prepare_result_notice",
        "confirm_feedback",
        "notify_enterprise",
        "case_closed",
    ]
    with database.session_scope() as session:
        assert FeedbackService(session).for_application(case.key).result == "not-accepted"
        (notice,) = NoticeService(session).for_application(case.key)
        assert (notice.kind, notice.subject) == ("不予受理", "不予受理告知")
        assert "已截止受理" in notice.body


def test_the_window_extends_the_period_and_a_late_supplement_still_counts(case, database):
    """R16: the window agrees more time with the enterprise; a supplement while it is on the phone ends its task."""
    case.start("T-QUAL")
    case.complete("check_completeness", "window-clerk", providedMaterials=[])
    case.fire_timer("supplement_contact_due")
    case.complete("contact_enterprise", "window-clerk", contactRecord="企业正在补办审计报告，申请延长 3 个工作日",
                  supplementDecision="extend", extraWorkingDays=3)  # fmt: skip
    case.wait_for_activity("await_supplement")
    wait_for(lambda: case.variable("supplementRound") == 2, "the second notice")
    assert case.variable("supplementDue") == "2026-10-21T23:59:59.000+0800"  # 16 Oct + 3 working days
    assert case.variable("supplementContactDue") == "2026-10-19T23:59:59.000+0800"  # 2 working days before
    with database.session_scope() as session:
        notices = [n for n in NoticeService(session).for_application(case.key) if n.kind == "补正告知"]
        assert len(notices) == 2 and "2026年10月21日" in notices[-1].body

    case.fire_timer("supplement_contact_due")
    case.task("contact_enterprise", "window-clerk")
    case.supplement()  # brought to the counter while the window was on the phone
    case.task("check_completeness", "window-clerk")  # the acceptance check again
    assert not case.admin.get("/task", processInstanceId=case.instance_id, taskDefinitionKey="contact_enterprise")


def test_the_window_refuses_an_application_with_its_reason(case):
    """R1, R12: 不予受理 at the window, and the reason is what the enterprise reads."""
    case.start("T-QUAL")
    case.complete("check_completeness", "window-clerk", providedMaterials=ALL_MATERIALS, acceptanceDecision="refuse",
                  refusalReason="申报主体为个体工商户，不属于本政策支持对象")  # fmt: skip
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "not-accepted"
    assert "不属于本政策支持对象" in case.variable("resultNotice")
    assert "refused_at_window" not in case.path()  # a link event: the path shows the gateway, then the feedback
    assert "route_application" not in case.path()
