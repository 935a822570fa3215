"""Issue a numbered document with its PDF: number it in one short transaction, lay out its PDF with no
transaction open, store the PDF in another short one.

Numbering first keeps the counter's lock short, and the slow layout never holds SQLite's write lock.
A worker that dies between the steps leaves a numbered document without PDF, which the task's next
run completes (the document is found again by case and kind).
"""

from __future__ import annotations

from typing import Any

from domain.cases import CaseRef
from domain.db import Database
from domain.documents.services import DocumentService, layout_pdf
from domain.templating import render


def issue(
    database: Database, case: CaseRef, kind: str, issuer_group: str, year: int, title: str, **context: Any
) -> str:
    """Issue (or find) the case's document of this kind, its text from ``documents/<kind>.txt``;
    return its reference (文号)."""
    body = render(f"documents/{kind}.txt", application_number=case.application_number, **context)
    with database.session_scope() as session:
        document = DocumentService(session).issue(case, kind, issuer_group, year, title, body)
        needs_pdf = document.pdf_sha256 is None
        if needs_pdf:
            session.refresh(document, ["issued_at"])  # the server's default, read while the session is open
    if needs_pdf:
        content = layout_pdf(document)  # detached copy: no session, no lock
        with database.session_scope() as session:
            service = DocumentService(session)
            service.store_pdf(service.find(case.process_instance_id, kind), content)
    return document.reference


def body_of(database: Database, case: CaseRef, kind: str) -> str:
    """The text of the case's document of this kind (it must exist)."""
    with database.session_scope() as session:
        return DocumentService(session).find(case.process_instance_id, kind).body
