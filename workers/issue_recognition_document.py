"""Topic issue_recognition_document: the numbered recognition document (R8), once per case."""

from __future__ import annotations

from domain.documents.services import DocumentService
from workers import resources
from workers.case import case_ref
from workers.task import TaskContext

TOPIC = "issue_recognition_document"


def handle(task: TaskContext) -> dict:
    case = case_ref(task)
    body = (
        f"经审查，{task.var('enterpriseName')}（统一社会信用代码 {task.var('creditCode')}）符合"
        f"“{task.var('policyName')}”认定条件，予以认定。\n{task.optional('recognitionRemarks', '')}"
    ).strip()
    with resources.database().session_scope() as session:
        document = DocumentService(session).issue(
            case,
            kind="recognition",
            department_group=task.var("departmentGroup"),
            year=resources.clock().today().year,
            title=task.var("recognitionTitle"),
            body=body,
        )
        reference = document.reference
    return {"recognitionDocument": reference}
