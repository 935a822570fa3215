"""Topic record_decision: keep the department's result and start the fulfilment deadline (R8–R10)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.fulfilment.services import DecisionService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "record_decision"


def fulfilment_deadline(task: TaskContext) -> Deadline:
    if task.var("policyLevel") == "higher":
        return Deadline.MUNICIPAL_REPORT  # R10
    if task.var("policyKind") == "qualification":
        return Deadline.RECOGNITION  # R8
    return Deadline.DISBURSEMENT  # R9


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    result = task.var("decision")
    with resources.database().session_scope() as session:
        DecisionService(session).record(
            case_ref(task),
            department_group=task.var("departmentGroup"),
            policy_code=task.var("policyCode"),
            result=result,
            approved_amount=task.optional("approvedAmount"),
            opinion=task.var("decisionOpinion"),
            decided_on=today,
        )
    variables: dict = {"decisionDate": today}
    if result == "approved":
        variables["fulfilmentDue"] = due(resources.calendar(), fulfilment_deadline(task), today)
    return variables
