"""Topic prepare_acceptance: give the case its number, then load the 申报指南 for the window's check (R1, R2).

The number is bound in a transaction of its own that commits before anything can fail: a re-run finds
it, a refused case keeps it. The guide version and the filing day are the application's own. The
diagram then makes the number the case's business key (an execution listener: the REST API cannot
change a business key), so a key typed in Tasklist's start dialog never stays. A policy that did not
take applications on the filing day → BPMN error ``policy_closed`` (不予受理).
"""

from __future__ import annotations

from domain.applications.acceptance import PolicyClosed, checklist
from domain.applications.case_binding import bind_case
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "prepare_acceptance"


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    with resources.database().session_scope() as session:
        binding = bind_case(session, task.process_instance_id, task.business_key, task.variables, today)
    number = binding.number
    with resources.database().session_scope() as session:
        try:
            found = checklist(session, task.var("policyCode"), today, binding.guide_version, binding.filed_on)
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
