"""Recording the window's feedback (R12): once per case."""

from domain.applications.outcomes import Outcome
from domain.applications.services import CaseFeedback, FeedbackService
from domain.cases import CaseRef

CASE = CaseRef("pi-1", "HQ-1")
FEEDBACK = CaseFeedback(
    enterprise_name="福兴科技有限公司",
    credit_code="91350100M000100Y43",
    policy_code="KJ-2026-001",
    responsible_group="dept-science",
    outcome=Outcome.REJECTED,
    opinion="研发投入比例不足",
    message="办理结果：不予兑现",
)


def test_feedback_is_recorded_once_per_case(db_session):
    service = FeedbackService(db_session)
    first = service.record(CASE, FEEDBACK)
    second = service.record(CASE, FEEDBACK)
    assert first.id == second.id
    assert (first.result, first.opinion) == ("rejected", "研发投入比例不足")
    assert service.for_application("HQ-1").id == first.id


def test_every_outcome_has_a_code_and_chinese_text():
    codes = {outcome.code for outcome in Outcome}
    assert codes == {
        "approved-recognised",
        "approved-paid",
        "approved-reported",
        "rejected-by-municipal",
        "rejected",
        "withdrawn",
        "not-accepted",
    }
    assert Outcome.from_code("withdrawn") is Outcome.WITHDRAWN
