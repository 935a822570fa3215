"""Topic check_extension_request: is this a department's open case with a running deadline? (R11)

Anything else → BPMN error ``extension_invalid`` with the reason, which the requester reads in Tasklist.
"""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.timeliness.extension import ExtensionInvalid, check_request
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "check_extension_request"


def handle(task: TaskContext) -> dict:
    number = task.var("applicationNumber").strip()
    today = resources.clock().today()
    result_due = due(resources.calendar(), Deadline.EXTENSION_RESULT, today)  # the requester reads the answer
    try:
        request = check_request(resources.cases(), resources.tasks(), number, task.var("requestedBy"))
    except ExtensionInvalid as exc:
        raise BusinessError(
            "extension_invalid",
            str(exc),
            {"extensionResultText": f"延期申请未通过核验：{exc}", "extensionResultDue": result_due},
        ) from exc
    return {
        "caseInstanceId": request.case_instance_id,
        "departmentGroup": request.department_group,
        "departmentName": request.department_name,
        "enterpriseName": request.enterprise_name,
        "currentDeadlines": request.listing(),
        "deadlinesToExtend": {name: value.isoformat() for name, value in request.running.items()},
        "extensionDecisionDue": due(resources.calendar(), Deadline.EXTENSION_DECISION, today),
        "extensionResultDue": result_due,
    }
