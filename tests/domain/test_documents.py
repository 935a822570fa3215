"""Numbered documents (R8, R12): per department and year, no gap and no twin under concurrency, PDF with checksum."""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ProcessPoolExecutor

from pypdf import PdfReader
from sqlalchemy import select

from domain.cases import CaseRef
from domain.db import Database
from domain.documents.models import Document
from domain.documents.services import DocumentService


def issue_many(url: str, prefix: str, count: int) -> list[str]:
    """Issue ``count`` documents of dept-forestry from one process (its own engine and sessions)."""
    database = Database(url)
    references = []
    for index in range(count):
        with database.session_scope() as session:
            document = DocumentService(session).issue(
                CaseRef(f"{prefix}-{index}", f"HQ-{prefix}-{index}"),
                "recognition",
                "dept-forestry",
                2031,
                "认定",
                "正文",
            )
            references.append(document.reference)
    database.dispose()
    return references


def test_numbers_run_per_department_and_year(db_session):
    service = DocumentService(db_session)
    first = service.issue(CaseRef("a", "HQ-A"), "recognition", "dept-science", 2030, "认定通知", "正文")
    second = service.issue(CaseRef("b", "HQ-B"), "result_notice", "dept-science", 2030, "结果通知", "正文")
    other = service.issue(CaseRef("c", "HQ-C"), "recognition", "dept-industry", 2030, "认定通知", "正文")
    again = service.issue(CaseRef("a", "HQ-A"), "recognition", "dept-science", 2030, "认定通知", "正文")
    assert (first.reference, second.reference, other.reference) == (
        "县科技局〔2030〕1号",
        "县科技局〔2030〕2号",
        "县工信局〔2030〕1号",
    )
    assert again.id == first.id


def test_concurrent_issuers_leave_no_gap_and_no_twin(tmp_path):
    url = f"sqlite:///{tmp_path / 'documents.db'}"
    Database(url).migrate()
    with ProcessPoolExecutor(max_workers=3) as pool:
        batches = list(pool.map(issue_many, [url] * 3, ["p1", "p2", "p3"], [25] * 3))
    assert sum(len(batch) for batch in batches) == 75
    database = Database(url)
    with database.session_scope() as session:
        numbers = sorted(session.scalars(select(Document.number).where(Document.department_group == "dept-forestry")))
    database.dispose()
    assert numbers == list(range(1, 76))


def test_a_document_keeps_its_pdf_and_checksum(db_session):
    service = DocumentService(db_session)
    document = service.issue(
        CaseRef("d", "HQ-D"), "recognition", "dept-commerce", 2030, "关于认定外贸示范企业的通知", "经审查，予以认定。"
    )
    service.attach_pdf(document)
    assert document.pdf_sha256 == hashlib.sha256(document.pdf).hexdigest()
    text = PdfReader(io.BytesIO(document.pdf)).pages[0].extract_text()
    assert "县商务局〔2030〕1号" in text and "关于认定外贸示范企业的通知" in text
    checksum = document.pdf_sha256
    service.attach_pdf(document)  # once laid out, never again
    assert document.pdf_sha256 == checksum
