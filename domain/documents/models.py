"""Document and the per-department, per-year number sequence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text, UniqueConstraint, func
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
    department_group: Mapped[str] = mapped_column(String(64))
    year: Mapped[int]
    number: Mapped[int] = mapped_column(comment="部门当年的顺序号，无空号、无重号")
    reference: Mapped[str] = mapped_column(String(64), comment="文号，如 县科技局〔2026〕17号")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
