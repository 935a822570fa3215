"""Topic prepare_acceptance: load the policy's 申报指南 for the window's completeness check (R1, R2).

A policy past its application deadline → BPMN error ``policy_closed`` (不予受理).
"""

from __future__ import annotations

from domain.applications.acceptance import PolicyClosed, checklist
from domain.applications.numbering import next_application_number
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "prepare_acceptance"


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    with resources.database().session_scope() as session:
        # The web UI starts cases with the number as business key; a case started in Tasklist gets one here.
        number = task.business_key or task.optional("applicationNumber") or next_application_number(session, today)
        try:
            found = checklist(session, task.var("policyCode"), today)
        except PolicyClosed as exc:
            raise BusinessError(
                "policy_closed", str(exc), {"applicationNumber": number, "policyName": exc.policy_name}
            ) from exc
    return {
        "applicationNumber": number,
        "acceptanceDate": today,
        "policyName": found.policy_name,
        "requiredMaterials": found.materials,
        "acceptanceNote": found.note,
    }
