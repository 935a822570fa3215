"""DocumentService: issue a numbered document once per case and kind."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.documents.models import Document, DocumentSequence
from domain.notices.services import CaseRef
from domain.organisation import unit_for_group


class DocumentService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, case: CaseRef, kind: str, department_group: str, year: int, title: str, body: str) -> Document:
        """Return the case's document of this kind, numbering and storing it the first time."""
        existing = self.session.scalar(
            select(Document).where(Document.process_instance_id == case.process_instance_id, Document.kind == kind)
        )
        if existing is not None:
            return existing
        number = self._next_number(department_group, year)
        department = unit_for_group(department_group).short_name
        document = Document(
            process_instance_id=case.process_instance_id,
            application_number=case.application_number,
            kind=kind,
            department_group=department_group,
            year=year,
            number=number,
            reference=f"{department}〔{year}〕{number}号",
            title=title,
            body=body,
        )
        self.session.add(document)
        self.session.flush()
        return document

    def _next_number(self, department_group: str, year: int) -> int:
        """Take the next number; the row update serialises concurrent issuers (no gap, no twin)."""
        key = {"department_group": department_group, "year": year}
        if self.session.get(DocumentSequence, (department_group, year)) is None:
            self.session.add(DocumentSequence(**key, last_number=0))
            self.session.flush()
        self.session.execute(
            update(DocumentSequence)
            .where(DocumentSequence.department_group == department_group, DocumentSequence.year == year)
            .values(last_number=DocumentSequence.last_number + 1)
        )
        return self.session.scalar(
            select(DocumentSequence.last_number).where(
                DocumentSequence.department_group == department_group, DocumentSequence.year == year
            )
        )
