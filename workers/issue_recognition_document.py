"""Topic issue_recognition_document: the numbered recognition document with its PDF (R8), once per case."""

from __future__ import annotations

from domain.documents.recognition import issue_recognition
from workers import resources
from workers.task import TaskContext

TOPIC = "issue_recognition_document"


def handle(task: TaskContext) -> dict:
    """R8: issue the numbered recognition document."""
    reference = issue_recognition(resources.database(), task.case(), resources.clock().today().year)
    return {"recognitionDocument": reference}
