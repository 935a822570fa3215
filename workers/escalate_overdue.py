"""Topic escalate_overdue: record the overdue tasks and warn their unit and the joint-meeting office (R18).

Which tasks are overdue is read from the engine: the escalation end events reached so far name
the activities (``<task>_escalated``), whose open tasks are then recorded, each once per deadline.
The engine's timers decide lateness, so this never disagrees with them.
"""

from __future__ import annotations

from domain.clock import CHINA
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from domain.organisation import JOINT_MEETING_OFFICE, unit_for_group
from domain.timeliness.services import OverdueService, OverdueTask
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext
from workers.variables import from_camunda

TOPIC = "escalate_overdue"
SUFFIX = "_escalated"


def handle(task: TaskContext) -> dict:
    overdue = overdue_tasks(task.process_instance_id)
    case = case_ref(task)
    lines = []
    with resources.database().session_scope() as session:
        for item in overdue:
            escalation, new = OverdueService(session).record(case, item)
            unit = unit_for_group(item.responsible_group).name if item.responsible_group else "未分配"
            line = f"{item.task_name}（{unit}）：期限 {item.due_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}，已超期"
            lines.append(line)
            if not new:
                continue
            context = {
                "enterprise_name": task.var("enterpriseName"),
                "task_name": item.task_name,
                "unit_name": unit,
                "due": item.due_at.astimezone(CHINA),
            }
            # To the responsible unit (its lead section, R14) and the joint-meeting office.
            for recipient in dict.fromkeys([item.responsible_group, JOINT_MEETING_OFFICE.group_id]):
                if recipient:
                    round_ = f"{escalation.task_id}:{recipient}"
                    NoticeService(session).record(
                        case, NoticeKind.OVERDUE, Addressee(recipient), context, round_=round_
                    )
    return {"overdueSummary": "\n".join(lines) or "超期任务已办结。"}


def overdue_tasks(process_instance_id: str) -> list[OverdueTask]:
    engine = resources.engine()
    # Activity → when its timer last fired: a task opened after that (a new round) is not late.
    escalated: dict[str, str] = {}
    for event in engine.get(
        "/history/activity-instance", processInstanceId=process_instance_id, activityType="escalationEndEvent"
    ):
        activity = event["activityId"].removesuffix(SUFFIX)
        escalated[activity] = max(escalated.get(activity, ""), event["startTime"])
    found = []
    for open_task in engine.get("/task", processInstanceId=process_instance_id):
        fired = escalated.get(open_task["taskDefinitionKey"])
        if fired is None or not open_task.get("due") or _moment(open_task["created"]) > _moment(fired):
            continue
        found.append(
            OverdueTask(
                task_id=open_task["id"],
                activity_id=open_task["taskDefinitionKey"],
                task_name=open_task["name"],
                responsible_group=responsible_group(open_task),
                due_at=_moment(open_task["due"]),
            )
        )
    return found


def _moment(value: str):
    return from_camunda({"type": "Date", "value": value})


def responsible_group(open_task: dict) -> str:
    """The candidate group of the task; for an expert's task, the department that called the expert."""
    links = resources.engine().get(f"/task/{open_task['id']}/identity-links", type="candidate")
    groups = sorted(link["groupId"] for link in links if link.get("groupId"))
    if groups:
        return groups[0]
    variables = resources.engine().get(f"/process-instance/{open_task['processInstanceId']}/variables/departmentGroup")
    return variables.get("value") or ""
