"""Notice: one message to an enterprise or a unit, kept in an outbox table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class Notice(Base):
    __tablename__ = "notice"
    # The staff inbox and its count (recipient IN the member's groups, newest first), an enterprise's inbox.
    __table_args__ = (Index("ix_notice_recipient_id", "recipient", "id"),)

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
    email: Mapped[str | None] = mapped_column(String(200), comment="写入时企业的电子邮箱")
    phone: Mapped[str | None] = mapped_column(String(32), comment="写入时企业的联系电话")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())


class NoticeDelivery(Base):
    """One channel's delivery of a notice: tried with growing waits, then failed for staff to see."""

    __tablename__ = "notice_delivery"
    __table_args__ = (UniqueConstraint("notice_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16), comment="portal / email / sms")
    status: Mapped[str] = mapped_column(
        String(16), default="pending", index=True, comment="pending/sending/sent/failed"
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
