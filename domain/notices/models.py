"""Notice: one message to an enterprise or a unit, kept in an outbox table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class Notice(Base):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(
        String(200), unique=True, comment="同一效果只写一次：办件 + 通知种类 + 轮次"
    )
    process_instance_id: Mapped[str] = mapped_column(String(64), index=True)
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32), comment="通知种类，见 domain/notices/kinds.py")
    recipient: Mapped[str] = mapped_column(String(64), comment="企业统一社会信用代码，或部门用户组 id")
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
