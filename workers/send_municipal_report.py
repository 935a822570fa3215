"""Topic send_municipal_report: report the case to the municipal department (R10)."""

from __future__ import annotations

from domain.fulfilment.services import MunicipalReportService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "send_municipal_report"


def handle(task: TaskContext) -> dict:
    now = resources.clock().now()
    with resources.database().session_scope() as session:
        report = MunicipalReportService(session).report(
            case_ref(task),
            department_group=task.var("departmentGroup"),
            municipal_department=task.var("municipalDepartment"),
            summary=task.var("reportSummary"),
            reported_at=now,
        )
        reported_at = report.reported_at
    return {"municipalReportedAt": reported_at}
