"""Topic prepare_result_notice: the department's numbered written result notice to the window (R12)."""

from __future__ import annotations

from domain.applications.outcomes import Outcome
from domain.deadlines import Deadline, due
from domain.documents.result_notice import issue_result_notice
from workers import resources
from workers.task import TaskContext

TOPIC = "prepare_result_notice"


def handle(task: TaskContext) -> dict:
    outcome = Outcome.from_code(task.var("outcome"))
    today = resources.clock().today()
    notice = issue_result_notice(resources.database(), task.case(), outcome, today.year)
    return {
        "outcomeText": outcome.text,
        "resultNotice": notice.text,
        "resultNoticeReference": notice.reference,
        "feedbackDue": due(resources.calendar(), Deadline.FEEDBACK, today),
    }
