"""Topic notify_enterprise: the window's unified feedback reaches the enterprise (R12)."""

from __future__ import annotations

from domain.applications.feedback import give_feedback
from domain.applications.outcomes import Outcome
from domain.notices.addressing import enterprise_channels
from workers import resources
from workers.task import TaskContext

TOPIC = "notify_enterprise"


def handle(task: TaskContext) -> dict:
    case = task.case()
    outcome = Outcome.from_code(task.var("outcome"))
    channels = enterprise_channels(case, resources.channels())
    with resources.database().session_scope() as session:
        feedback_id = give_feedback(session, case, outcome, task.var("resultNotice"), channels)
    return {"feedbackId": feedback_id}
