"""Feedback: the unified result the window gives the enterprise at the end of a case (R12)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(
        String(64), unique=True, comment="一个办件只反馈一次：重复执行的任务不会再写一条"
    )
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    policy_code: Mapped[str] = mapped_column(String(32))
    department_group: Mapped[str] = mapped_column(String(64), comment="负责的部门；未分流即结束的为 window")
    result: Mapped[str] = mapped_column(String(32), comment="办理结果 outcome，见 domain/applications/outcomes.py")
    opinion: Mapped[str] = mapped_column(Text, comment="部门（或专窗）的书面意见")
    message: Mapped[str] = mapped_column(Text, comment="专窗反馈给企业的文字")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())


class ApplicationSequence(Base):
    """The last application number given out on one day (HQ-20260928-0001…)."""

    __tablename__ = "application_sequence"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
