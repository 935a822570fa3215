"""Topic send_municipal_report: send the case package to the municipal department (R10)."""

from __future__ import annotations

from domain.fulfilment.reporting import report_to_municipal
from workers import resources
from workers.task import TaskContext

TOPIC = "send_municipal_report"


def handle(task: TaskContext) -> dict:
    status = report_to_municipal(
        resources.database(), resources.settings().municipal, task.case(), resources.clock().now()
    )
    return {"municipalReportStatus": status}
