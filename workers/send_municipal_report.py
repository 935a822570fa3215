"""Topic send_municipal_report: send the case package to the municipal department (R10), and tell the
enterprise its case went up (三.三: an interim notice, not silence until the city answers)."""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.fulfilment.reporting import report_to_municipal
from domain.notices.addressing import enterprise_channels, enterprise_of
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService
from workers import resources
from workers.task import TaskContext

TOPIC = "send_municipal_report"


def handle(task: TaskContext) -> dict:
    case = task.case()
    now = resources.clock().now()
    status = report_to_municipal(resources.database(), resources.settings().municipal, case, now)
    with resources.database().session_scope() as session:  # once per case (the notice's idempotency key)
        NoticeService(session).record(
            case.ref,
            NoticeKind.REPORTED_UPWARD,
            enterprise_of(case),
            {
                "enterprise_name": case.require("enterpriseName"),
                "policy_name": case.require("policyName"),
                "department_name": case.require("departmentName"),
                "municipal_department": case.require("municipalDepartment"),
                "reported_on": now.date(),
            },
            channels=enterprise_channels(case, resources.channels()),
        )
    today = now.date()
    return {
        "municipalReportStatus": status,
        "municipalFollowUpDue": due(resources.calendar(), Deadline.MUNICIPAL_FOLLOW_UP, today),  # R10: reminders
        "municipalAnswerDue": due(resources.calendar(), Deadline.MUNICIPAL_ANSWER, today),  # then supervision
    }
