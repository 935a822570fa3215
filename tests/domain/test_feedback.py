"""Recording the window's feedback (R12): once per case, with a readable message."""

import pytest

from domain.applications.services import FeedbackService, ReviewOutcome

OUTCOME = ReviewOutcome(
    process_instance_id="pi-1",
    application_number="HQ-1",
    enterprise_name="福兴科技有限公司",
    credit_code="91350100M000100Y43",
    policy_code="KJ-2026-001",
    policy_name="高新技术企业认定奖励",
    department_group="dept-science",
    department_name="县科技局",
    result="rejected",
    opinion="研发投入比例不足",
)


def test_feedback_is_recorded_once_per_case(db_session):
    service = FeedbackService(db_session)
    first = service.record(OUTCOME)
    second = service.record(OUTCOME)
    assert first.id == second.id
    assert "审查未通过" in first.message and "研发投入比例不足" in first.message


def test_an_unknown_result_is_refused(db_session):
    with pytest.raises(ValueError, match="未知的审查结论 “maybe”"):
        FeedbackService(db_session).record(OUTCOME.__class__(**{**OUTCOME.__dict__, "result": "maybe"}))
