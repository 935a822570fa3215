"""The recognition document of a qualification case (R8): the department's numbered 认定文件."""

from __future__ import annotations

from domain.cases import CaseFacts
from domain.db import Database
from domain.documents import issuing


def issue_recognition(database: Database, case: CaseFacts, year: int) -> str:
    """Issue (once) the case's recognition document, in the department's name; return its reference."""
    return issuing.issue(
        database,
        case.ref,
        "recognition",
        case.require("departmentGroup"),
        year,
        case.require("recognitionTitle"),
        enterprise_name=case.require("enterpriseName"),
        credit_code=case.require("creditCode"),
        policy_name=case.require("policyName"),
        remarks=case.get("recognitionRemarks", ""),
    )
