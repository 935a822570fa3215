"""Topic remind_municipal_follow_up: remind the department to follow up the municipal review (R10)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from domain.notices.tasklist import comment_on_group_tasks, comment_text
from workers import resources
from workers.task import TaskContext

TOPIC = "remind_municipal_follow_up"


def handle(task: TaskContext) -> dict:
    case = task.case()
    count = task.optional("followUpReminders", 0) + 1
    context = {
        "enterprise_name": case.require("enterpriseName"),
        "policy_name": case.require("policyName"),
        "municipal_department": task.optional("municipalDepartment", "市级主管部门"),
        "count": count,
    }
    group = case.require("departmentGroup")
    with resources.database().session_scope() as session:
        notice = NoticeService(session).record(
            case.ref, NoticeKind.FOLLOW_UP, Addressee(group), context, round_=str(count)
        )
        text = comment_text(notice)
    # R10: also where the department works — a comment on its open tasks of this case in Tasklist.
    comment_on_group_tasks(resources.tasks(), case.ref.process_instance_id, group, text)
    # The next reminder, counted in working days from today (R10: 每周跟踪, on the working-day calendar).
    next_due = due(resources.calendar(), Deadline.MUNICIPAL_FOLLOW_UP, resources.clock().today())
    return {"followUpReminders": count, "municipalFollowUpDue": next_due}
