"""OverdueEscalation: one task found past its deadline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class OverdueEscalation(Base):
    __tablename__ = "overdue_escalation"
    __table_args__ = (UniqueConstraint("task_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(String(64), index=True)
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    task_id: Mapped[str] = mapped_column(String(64))
    activity_id: Mapped[str] = mapped_column(String(64))
    task_name: Mapped[str] = mapped_column(String(200))
    responsible_group: Mapped[str] = mapped_column(String(64), index=True, comment="负责该任务的用户组")
    due_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())
    escalated_at: Mapped[dt.datetime] = mapped_column(
        AwareDateTime(), server_default=func.now(), index=True
    )  # the dashboard's escalations per month
