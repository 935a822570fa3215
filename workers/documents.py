"""Issuing a document from a handler: number it in one short transaction, lay out its PDF in another.

Numbering first keeps the counter's lock short; a worker that dies between the two leaves a
numbered document without PDF, which the task's next run completes (the document is found again).
"""

from __future__ import annotations

from domain.documents.services import DocumentService
from domain.notices.services import CaseRef
from workers import resources


def issue_document(case: CaseRef, kind: str, issuer_group: str, title: str, body: str) -> str:
    """Issue (or find) the case's document of this kind with its PDF; return its reference (文号)."""
    database = resources.database()
    with database.session_scope() as session:
        document = DocumentService(session).issue(case, kind, issuer_group, resources.clock().today().year, title, body)
        reference, done = document.reference, document.pdf_sha256 is not None
    if not done:
        with database.session_scope() as session:
            service = DocumentService(session)
            service.attach_pdf(service.find(case.process_instance_id, kind))
    return reference
