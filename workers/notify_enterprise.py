"""Topic notify_enterprise: the window's unified feedback reaches the enterprise (R12)."""

from __future__ import annotations

from domain.applications.outcomes import Outcome
from domain.applications.services import CaseFeedback, FeedbackService
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.case import case_ref
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
        NoticeService(session).record(case, NoticeKind.RESULT, task.var("creditCode"), "办理结果反馈", message)
        feedback_id = feedback.id
    return {"feedbackId": feedback_id}
