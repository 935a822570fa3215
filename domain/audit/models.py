"""AuditEntry: one state change, by an enterprise or a member of staff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now(), index=True)
    actor_kind: Mapped[str] = mapped_column(String(16), comment="enterprise / staff / public")
    actor: Mapped[str] = mapped_column(String(64), comment="统一社会信用代码或工作人员用户名")
    action: Mapped[str] = mapped_column(String(64), comment="如 application.submitted、policy.published")
    target: Mapped[str] = mapped_column(String(100), comment="申报编号、政策编码等")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64), comment="请求来源地址")
