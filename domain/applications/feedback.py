"""The window's unified feedback reaching the enterprise (R12): recorded once, with its notice."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.applications.outcomes import Outcome
from domain.applications.services import CaseFeedback, FeedbackService
from domain.cases import CaseFacts
from domain.documents.result_notice import opinion_for
from domain.notices.addressing import enterprise_of
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService


def give_feedback(session: Session, case: CaseFacts, outcome: Outcome, message: str, channels: list[str]) -> int:
    """Record the feedback and the enterprise's notice of it (each once per case); return the feedback's id."""
    feedback = FeedbackService(session).record(
        case.ref,
        CaseFeedback(
            enterprise_name=case.require("enterpriseName"),
            credit_code=case.require("creditCode"),
            policy_code=case.require("policyCode"),
            responsible_group=case.department_group or "window",
            outcome=outcome,
            opinion=opinion_for(case, outcome),
            message=message,
        ),
    )
    NoticeService(session).record(
        case.ref,
        NoticeKind.NOT_ACCEPTED if outcome is Outcome.NOT_ACCEPTED else NoticeKind.RESULT,
        enterprise_of(case),
        {
            "enterprise_name": case.require("enterpriseName"),
            "policy_name": case.policy_name,
            "outcome_text": outcome.text,
            "result_notice": message,
        },
        channels=channels,
    )
    return feedback.id
