"""Document (recognition, result notice, payment order) and the per-department, per-year number sequence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class DocumentSequence(Base):
    """The last number given out by one department in one year."""

    __tablename__ = "document_sequence"

    department_group: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("process_instance_id", "kind"),
        UniqueConstraint("department_group", "year", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(String(64))
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    department_group: Mapped[str] = mapped_column(String(64), comment="发文单位的用户组 id")
    year: Mapped[int]
    number: Mapped[int] = mapped_column(comment="部门当年的顺序号，无空号、无重号")
    reference: Mapped[str] = mapped_column(String(64), comment="文号，如 县科技局〔2026〕17号")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, comment="PDF 文件；编号后生成")
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), comment="PDF 的 SHA-256 校验值")
