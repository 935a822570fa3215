"""Topic route_application: find the department that answers for the policy (R3).

Unknown or unroutable policy → BPMN error ``policy_unknown`` → the window routes by hand.
"""

from __future__ import annotations

from domain.policies.errors import PolicyMisconfigured, PolicyNotFound
from domain.policies.services import PolicyService
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "route_application"


def application_number(task: TaskContext) -> str:
    """The case's number: the business key the window gave, else the process instance id."""
    return task.optional("applicationNumber", task.business_key or task.process_instance_id)


def handle(task: TaskContext) -> dict:
    policy_code = task.var("policyCode")
    try:
        with resources.database().session_scope() as session:
            routing = PolicyService(session).routing_for(policy_code)
    except (PolicyNotFound, PolicyMisconfigured) as exc:
        raise BusinessError("policy_unknown", str(exc)) from exc
    task.log.info("分流至 %s（%s）", routing.department_name, routing.department_group)
    return {
        "applicationNumber": application_number(task),
        "policyCode": routing.policy_code,
        "policyName": routing.policy_name,
        "departmentGroup": routing.department_group,
        "departmentName": routing.department_name,
    }
