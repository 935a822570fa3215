"""DocumentService: issue a numbered document once per case and kind, then attach its PDF."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases import CaseRef
from domain.clock import CHINA
from domain.documents.models import Document, DocumentSequence
from domain.organisation import unit_for_group
from domain.pdf import html_to_pdf, sha256
from domain.sequences import next_in_sequence
from domain.templating import render


class DocumentService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, case: CaseRef, kind: str, issuer_group: str, year: int, title: str, body: str) -> Document:
        """Return the case's document of this kind, numbering and storing it the first time.

        The number comes from the issuer's counter for the year in this same transaction: no gap
        (a rollback gives it back) and no twin (the counter row is locked until commit).
        """
        existing = self.find(case.process_instance_id, kind)
        if existing is not None:
            return existing
        number = next_in_sequence(self.session, DocumentSequence, department_group=issuer_group, year=year)
        document = Document(
            process_instance_id=case.process_instance_id,
            application_number=case.application_number,
            kind=kind,
            department_group=issuer_group,
            year=year,
            number=number,
            reference=f"{unit_for_group(issuer_group).short_name}〔{year}〕{number}号",
            title=title,
            body=body,
        )
        self.session.add(document)
        self.session.flush()
        return document

    def find(self, process_instance_id: str, kind: str) -> Document | None:
        return self.session.scalar(
            select(Document).where(Document.process_instance_id == process_instance_id, Document.kind == kind)
        )

    def attach_pdf(self, document: Document) -> None:
        """Lay the document out as PDF and keep it with its SHA-256, unless it has one already.

        Renders inside the caller's transaction: for tests and one-off use. Workers use
        :func:`domain.documents.issuing.issue`, which lays out with no transaction open.
        """
        if document.pdf_sha256 is None:
            self.store_pdf(document, layout_pdf(document))

    def store_pdf(self, document: Document, content: bytes) -> None:
        """Keep the laid-out PDF unless one was stored meanwhile (the first one stands)."""
        if document.pdf_sha256 is not None:
            return
        document.pdf = content
        document.pdf_sha256 = sha256(content)
        self.session.flush()

    ENTERPRISE_KINDS = ("recognition", "result_notice")  # what the enterprise may read and download

    def for_enterprise(self, process_instance_id: str | None) -> list[Document]:
        """Return the case's documents the enterprise may download (recognition, result notice).

        Selected by the case itself, never by the application number alone (a number is a label).
        """
        if not process_instance_id:
            return []
        return list(
            self.session.scalars(
                select(Document)
                .where(Document.process_instance_id == process_instance_id, Document.kind.in_(self.ENTERPRISE_KINDS))
                .order_by(Document.id)
            )
        )

    def enterprise_pdf(self, process_instance_id: str | None, document_id: int) -> Document | None:
        """Return that document of the case with its PDF loaded, if the enterprise may download it.

        Return None when there is no such document of this case, it is not one the enterprise
        reads, or its PDF is not laid out yet.
        """
        if not process_instance_id:
            return None
        document = self.session.scalar(
            select(Document).where(
                Document.id == document_id,
                Document.process_instance_id == process_instance_id,
                Document.kind.in_(self.ENTERPRISE_KINDS),
            )
        )
        if document is None or document.pdf is None:  # reading .pdf loads the deferred column here
            return None
        return document


def layout_pdf(document: Document) -> bytes:
    """The document as a PDF letter (slow: call it with no transaction open)."""
    return html_to_pdf(
        render(
            "documents/document.html",
            title=document.title,
            reference=document.reference,
            paragraphs=[line for line in document.body.splitlines() if line.strip()],
            issuer=unit_for_group(document.department_group).short_name,
            issued_on=document.issued_at.astimezone(CHINA).date(),
        )
    )
