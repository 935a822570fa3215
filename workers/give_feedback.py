"""Topic give_feedback: the window records the department's result for the enterprise (R12)."""

from __future__ import annotations

from domain.applications.services import FeedbackService, ReviewOutcome
from domain.organisation import unit_for_group
from workers import resources
from workers.task import TaskContext

TOPIC = "give_feedback"


def handle(task: TaskContext) -> dict:
    department_group = task.var("departmentGroup")
    outcome = ReviewOutcome(
        process_instance_id=task.process_instance_id,
        application_number=task.var("applicationNumber"),
        enterprise_name=task.var("enterpriseName"),
        credit_code=task.var("creditCode"),
        policy_code=task.var("policyCode"),
        policy_name=task.optional("policyName", task.var("policyCode")),
        department_group=department_group,
        department_name=task.optional("departmentName", unit_for_group(department_group).name),
        result=task.var("reviewResult"),
        opinion=task.var("reviewOpinion"),
    )
    with resources.database().session_scope() as session:
        feedback = FeedbackService(session).record(outcome)
        feedback_id = feedback.id
    return {"feedbackId": feedback_id, "outcome": f"reviewed-{outcome.result}"}
