"""Topic notify_enterprise: the window's unified feedback reaches the enterprise (R12)."""

from __future__ import annotations

from domain.applications.outcomes import Outcome
from domain.applications.services import CaseFeedback, FeedbackService
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref, enterprise, enterprise_channels
from workers.result_texts import opinion_for
from workers.task import TaskContext

TOPIC = "notify_enterprise"


def handle(task: TaskContext) -> dict:
    case = case_ref(task)
    outcome = Outcome.from_code(task.var("outcome"))
    message = task.var("resultNotice")
    with resources.database().session_scope() as session:
        feedback = FeedbackService(session).record(
            case,
            CaseFeedback(
                enterprise_name=task.var("enterpriseName"),
                credit_code=task.var("creditCode"),
                policy_code=task.var("policyCode"),
                responsible_group=task.optional("departmentGroup", "window"),
                outcome=outcome,
                opinion=opinion_for(task, outcome),
                message=message,
            ),
        )
        kind = NoticeKind.NOT_ACCEPTED if outcome is Outcome.NOT_ACCEPTED else NoticeKind.RESULT
        NoticeService(session).record(
            case,
            kind,
            enterprise(task),
            {
                "enterprise_name": task.var("enterpriseName"),
                "policy_name": task.optional("policyName") or task.var("policyCode"),
                "outcome_text": outcome.text,
                "result_notice": message,
            },
            channels=enterprise_channels(task),
        )
        feedback_id = feedback.id
    return {"feedbackId": feedback_id}
