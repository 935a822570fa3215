"""Topic send_supervision_opinion: the joint-meeting office's opinion reaches the units it concerns (R17, R18)."""

from __future__ import annotations

from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from domain.notices.tasklist import comment_on_group_tasks, comment_text
from domain.organisation import JOINT_MEETING_OFFICE
from domain.timeliness.services import OverdueService
from workers import resources
from workers.task import TaskContext

TOPIC = "send_supervision_opinion"


def handle(task: TaskContext) -> dict:
    case = task.case()
    context = {
        "enterprise_name": case.require("enterpriseName"),
        "policy_name": case.require("policyName"),
        "opinion": task.var("supervisionOpinion"),
        "overdue_summary": task.optional("overdueSummary", ""),
    }
    texts = {}
    with resources.database().session_scope() as session:
        groups = OverdueService(session).responsible_groups(task.process_instance_id)
        for group in groups:
            if group == JOINT_MEETING_OFFICE.group_id:
                continue
            # One notice per unit and supervision run (this external task), whatever reruns.
            notice = NoticeService(session).record(
                case.ref, NoticeKind.SUPERVISION, Addressee(group), context, round_=f"{task.task_id}:{group}"
            )
            texts[group] = comment_text(notice)
    # Where the unit works: a comment on its open tasks of this case in Tasklist (after the commit).
    for group, text in texts.items():
        comment_on_group_tasks(resources.tasks(), task.process_instance_id, group, text)
    return {}
