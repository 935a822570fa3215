"""Staff notices in Tasklist: written as a comment on the task the unit works on (R10, R18).

Comments are added after the notice is committed (no engine call inside a transaction) and only
when the same text is not on the task yet, so a task that runs again adds no second comment.
"""

from __future__ import annotations

from domain.engine.tasks import TaskGateway
from domain.notices.models import Notice

_LIMIT = 3900  # the engine keeps a comment's message in a column of 4000 characters


def comment_text(notice: Notice) -> str:
    """The notice as a Tasklist comment: its subject, then its text."""
    return f"【{notice.subject}】{notice.body}"[:_LIMIT]


def comment_on_task(tasks: TaskGateway, task_id: str, text: str) -> bool:
    """Comment on one task (an overdue task's own warning)."""
    return tasks.comment_once(task_id, text[:_LIMIT])


def comment_on_group_tasks(tasks: TaskGateway, process_instance_id: str, group_id: str, text: str) -> int:
    """Comment on each open task of the case offered to the group; the number of tasks commented on."""
    added = 0
    for task in tasks.open_tasks_of_group(process_instance_id, group_id):
        added += tasks.comment_once(task.id, text[:_LIMIT])
    return added
