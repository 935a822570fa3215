"""Topic issue_recognition_document: the numbered recognition document with its PDF (R8), once per case."""

from __future__ import annotations

from workers.case import case_ref
from workers.documents import issue_document
from workers.task import TaskContext

TOPIC = "issue_recognition_document"


def handle(task: TaskContext) -> dict:
    body = (
        f"{task.var('enterpriseName')}：\n经审查，你单位（统一社会信用代码 {task.var('creditCode')}）符合"
        f"“{task.var('policyName')}”认定条件，予以认定。\n{task.optional('recognitionRemarks') or ''}"
    ).strip()
    reference = issue_document(
        case_ref(task), "recognition", task.var("departmentGroup"), task.var("recognitionTitle"), body
    )
    return {"recognitionDocument": reference}
