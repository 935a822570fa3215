"""FeedbackService: record the window's feedback to the enterprise, once per case (R12)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.applications.models import Feedback

RESULT_TEXT = {"approved": "审查通过", "rejected": "审查未通过"}


@dataclass(frozen=True)
class ReviewOutcome:
    """The department's written result, as the window receives it."""

    process_instance_id: str
    application_number: str
    enterprise_name: str
    credit_code: str
    policy_code: str
    policy_name: str
    department_group: str
    department_name: str
    result: str
    opinion: str


class FeedbackService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, outcome: ReviewOutcome) -> Feedback:
        """Record the feedback for this case; if it was recorded before, return that record."""
        existing = self.session.scalar(
            select(Feedback).where(Feedback.process_instance_id == outcome.process_instance_id)
        )
        if existing is not None:
            return existing
        if outcome.result not in RESULT_TEXT:
            raise ValueError(f"未知的审查结论 “{outcome.result}”，应为 approved 或 rejected。")
        feedback = Feedback(
            process_instance_id=outcome.process_instance_id,
            application_number=outcome.application_number,
            enterprise_name=outcome.enterprise_name,
            credit_code=outcome.credit_code,
            policy_code=outcome.policy_code,
            department_group=outcome.department_group,
            result=outcome.result,
            opinion=outcome.opinion,
            message=compose_message(outcome),
        )
        self.session.add(feedback)
        self.session.flush()
        return feedback

    def for_application(self, application_number: str) -> Feedback | None:
        return self.session.scalar(
            select(Feedback).where(Feedback.application_number == application_number)
        )


def compose_message(outcome: ReviewOutcome) -> str:
    """The text the enterprise reads."""
    return (
        f"{outcome.enterprise_name}：您申报的“{outcome.policy_name}”（申报编号 {outcome.application_number}）"
        f"经{outcome.department_name}审查，结论为{RESULT_TEXT[outcome.result]}。审查意见：{outcome.opinion}"
    )
