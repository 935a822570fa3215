"""Topic send_municipal_report: send the case package to the municipal department (R10).

The package is stored first (once per case); then it is sent, signed, to MUNICIPAL_REPORT_URL.
Without a configured endpoint the report is kept for offline submission and the log says so.
"""

from __future__ import annotations

import logging

from domain.fulfilment.municipal import send_report
from domain.fulfilment.services import MunicipalReportService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "send_municipal_report"
log = logging.getLogger("workers")


def package(task: TaskContext, application_number: str) -> dict:
    return {
        "applicationNumber": application_number,
        "enterprise": {"name": task.var("enterpriseName"), "creditCode": task.var("creditCode")},
        "policy": {"code": task.var("policyCode"), "name": task.var("policyName")},
        "countyDepartment": task.var("departmentName"),
        "countyOpinion": task.var("decisionOpinion"),
        "decisionDate": str(task.var("decisionDate")),
        "municipalDepartment": task.var("municipalDepartment"),
        "summary": task.var("reportSummary"),
    }


def handle(task: TaskContext) -> dict:
    case = case_ref(task)
    settings = resources.settings().municipal
    content = package(task, case.application_number)
    with resources.database().session_scope() as session:
        reports = MunicipalReportService(session)
        report = reports.report(
            case, department_group=task.var("departmentGroup"), payload=content, reported_at=resources.clock().now()
        )
        status = report.status
    if status == "pending":
        if settings.report_url:
            receipt = send_report(settings, content, idempotency_key=case.process_instance_id)
            with resources.database().session_scope() as session:
                status = MunicipalReportService(session).mark_sent(case, receipt.attempts, receipt.reference).status
        else:
            log.warning(
                "未配置 MUNICIPAL_REPORT_URL：申报编号 %s 的材料已留存，需线下报送市级部门", case.application_number
            )
            with resources.database().session_scope() as session:
                status = MunicipalReportService(session).mark_offline(case).status
    return {"municipalReportStatus": status}
