"""Topic check_extension_request: is this a department's open case with a running deadline? (R11)

The requester must belong to the department the case is routed to; the deadlines that can move are
the case's ``*Due`` variables that are the due date of one of its open tasks. Anything else →
BPMN error ``extension_invalid`` with the reason, which the requester reads in Tasklist.
"""

from __future__ import annotations

from domain.clock import CHINA
from domain.deadlines import Deadline, due
from domain.organisation import unit_for_group
from workers import resources
from workers.task import BusinessError, TaskContext
from workers.variables import from_camunda

TOPIC = "check_extension_request"
PROCESS_KEY = "policy_fulfilment"


def invalid(reason: str) -> BusinessError:
    return BusinessError("extension_invalid", reason, {"extensionResultText": f"延期申请未通过核验：{reason}"})


def handle(task: TaskContext) -> dict:
    engine = resources.engine()
    number = task.var("applicationNumber").strip()
    requester = task.var("requestedBy")
    cases = engine.get(
        "/process-instance", processDefinitionKey=PROCESS_KEY, variables=f"applicationNumber_eq_{number}"
    )
    if not cases:
        raise invalid(f"申报编号 {number} 不存在或已办结。")
    case_id = cases[0]["id"]
    variables = {
        name: from_camunda(typed)
        for name, typed in engine.get(f"/process-instance/{case_id}/variables", deserializeValues="false").items()
    }
    group = variables.get("departmentGroup")
    member_of = {g["id"] for g in engine.get("/group", member=requester)}
    if group not in member_of:
        raise invalid(f"申请人 {requester} 不属于负责该办件的部门。")
    open_dues = {
        from_camunda({"type": "Date", "value": t["due"]})
        for t in engine.get("/task", processInstanceId=case_id)
        if t.get("due")
    }
    running = {name: value for name, value in variables.items() if name.endswith("Due") and value in open_dues}
    if not running:
        raise invalid("该办件当前没有处于办理时限内的任务。")
    listing = "\n".join(f"{name}：{value.astimezone(CHINA):%Y年%m月%d日}" for name, value in sorted(running.items()))
    return {
        "caseInstanceId": case_id,
        "departmentGroup": group,
        "departmentName": unit_for_group(group).name,
        "enterpriseName": variables.get("enterpriseName"),
        "currentDeadlines": listing,
        "deadlinesToExtend": {name: value.isoformat() for name, value in running.items()},
        "extensionDecisionDue": due(resources.calendar(), Deadline.EXTENSION_DECISION, resources.clock().today()),
    }
