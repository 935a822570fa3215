"""Reporting a higher-level case to the municipal department (R10): store the package once, then send it.

Without a configured endpoint the report is kept for offline submission and the log says so.
"""

from __future__ import annotations

import datetime as dt
import logging

from domain.cases import CaseFacts
from domain.config import MunicipalSettings
from domain.db import Database
from domain.fulfilment.municipal import send_report
from domain.fulfilment.services import MunicipalReportService

log = logging.getLogger("huiqi.municipal")


def report_package(case: CaseFacts) -> dict:
    """What the municipal department receives about the case."""
    return {
        "applicationNumber": case.application_number,
        "enterprise": {"name": case.require("enterpriseName"), "creditCode": case.require("creditCode")},
        "policy": {"code": case.require("policyCode"), "name": case.require("policyName")},
        "countyDepartment": case.require("departmentName"),
        "countyOpinion": case.require("decisionOpinion"),
        "decisionDate": str(case.require("decisionDate")),
        "municipalDepartment": case.require("municipalDepartment"),
        "summary": case.require("reportSummary"),
    }


def report_to_municipal(database: Database, settings: MunicipalSettings, case: CaseFacts, now: dt.datetime) -> str:
    """Store the case's report (once) and send it unless it was sent; return its status."""
    content = report_package(case)
    with database.session_scope() as session:
        report = MunicipalReportService(session).report(
            case.ref, department_group=case.require("departmentGroup"), payload=content, reported_at=now
        )
        status = report.status
    if status != "pending":
        return status
    if not settings.report_url:
        log.warning(
            "未配置 MUNICIPAL_REPORT_URL：申报编号 %s 的材料已留存，需线下报送市级部门", case.application_number
        )
        with database.session_scope() as session:
            return MunicipalReportService(session).mark_offline(case.ref).status
    receipt = send_report(settings, content, idempotency_key=case.ref.process_instance_id)  # no transaction open
    with database.session_scope() as session:
        return MunicipalReportService(session).mark_sent(case.ref, receipt.attempts, receipt.reference).status
