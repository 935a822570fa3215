"""FeedbackService: the window's unified feedback to the enterprise, once per case (R12)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.applications.models import Feedback
from domain.applications.outcomes import Outcome
from domain.cases import CaseRef
from domain.db import get_or_create


@dataclass(frozen=True)
class CaseFeedback:
    """What the enterprise is told at the end of its case."""

    enterprise_name: str
    credit_code: str
    policy_code: str
    responsible_group: str
    outcome: Outcome
    opinion: str
    message: str


class FeedbackService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, case: CaseRef, feedback: CaseFeedback) -> Feedback:
        """Record the feedback for this case; if it was recorded before, return that record."""
        stored, _ = get_or_create(
            self.session,
            Feedback,
            {"process_instance_id": case.process_instance_id},
            application_number=case.application_number,
            enterprise_name=feedback.enterprise_name,
            credit_code=feedback.credit_code,
            policy_code=feedback.policy_code,
            department_group=feedback.responsible_group,
            result=feedback.outcome.code,
            opinion=feedback.opinion,
            message=feedback.message,
        )
        return stored

    def for_application(self, application_number: str) -> Feedback | None:
        return self.session.scalar(select(Feedback).where(Feedback.application_number == application_number))
