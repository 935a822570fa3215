"""Topic record_decision: keep the department's result and start the fulfilment deadline (R8–R10)."""

from __future__ import annotations

from domain.deadlines import due, fulfilment_deadline
from domain.fulfilment.services import DecisionService
from workers import resources
from workers.task import TaskContext

TOPIC = "record_decision"


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    result = task.var("decision")
    case = task.case()
    with resources.database().session_scope() as session:
        DecisionService(session).record(
            case.ref,
            department_group=case.require("departmentGroup"),
            policy_code=case.require("policyCode"),
            result=result,
            approved_amount=task.optional("approvedAmount"),
            opinion=task.var("decisionOpinion"),
            decided_on=today,
            payee_bank=task.optional("payeeBank"),  # the decide form's values: the payment order pays these
            payee_account=task.optional("payeeAccount"),
        )
    variables: dict = {"decisionDate": today}
    if result == "approved":
        stage = fulfilment_deadline(task.var("policyLevel"), task.var("policyKind"))
        variables["fulfilmentDue"] = due(resources.calendar(), stage, today)
    return variables
