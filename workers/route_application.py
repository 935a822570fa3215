"""Topic route_application: the department that answers for the policy, and its deadlines (R3, R4).

Deadlines count from the application deadline (申报截止日); for a policy without one, or materials
completed after it, from the day the case was routed. Unknown or unroutable policy → BPMN error
``policy_unknown`` → the window routes by hand (with the same deadlines counted from today).
"""

from __future__ import annotations

from domain.deadlines import routing_deadlines
from domain.policies.errors import PolicyMisconfigured, PolicyNotFound
from domain.policies.services import PolicyService
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "route_application"


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    number = task.case().application_number
    try:
        with resources.database().session_scope() as session:
            routing = PolicyService(session).routing_for(task.var("policyCode"))
    except (PolicyNotFound, PolicyMisconfigured) as exc:
        raise BusinessError(
            "policy_unknown",
            str(exc),
            {
                "applicationNumber": number,
                "needsSiteInspection": False,
                "needsExpertReview": False,
                **routing_deadlines(resources.calendar(), today),
            },
        ) from exc
    start = max(routing.application_deadline or today, today)
    task.log.info("分流至 %s（%s）", routing.department_name, routing.department_group)
    return {
        "applicationNumber": number,
        "policyCode": routing.policy_code,
        "policyName": routing.policy_name,
        "policyKind": routing.kind,
        "policyLevel": routing.level,
        "needsSiteInspection": routing.needs_site_inspection,
        "needsExpertReview": routing.needs_expert_review,
        "departmentGroup": routing.department_group,
        "departmentName": routing.department_name,
        **routing_deadlines(resources.calendar(), start),
    }
