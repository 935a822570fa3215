"""OverdueEscalation: one task found past its deadline. MonthlyReport: the joint meeting's month (R17)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, String, Text, UniqueConstraint, func
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


class MonthlyReport(Base):
    """The joint meeting's report of one month (R17), filed once: the figures as PDF and CSV under the var
    directory, and the meeting's record once the office has held it."""

    __tablename__ = "joint_meeting_report"
    __table_args__ = (UniqueConstraint("month"),)  # exactly once: one report per month, however often asked

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), comment="报告月份，如 2026-11；每月只生成一次")
    process_instance_id: Mapped[str] = mapped_column(String(64), comment="生成该报告的流程实例")
    built_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), comment="生成时间（统计当前超期的时点）")
    received: Mapped[int] = mapped_column(comment="本月受理件数（全部办件）")
    figures: Mapped[list] = mapped_column(JSON, comment="各部门数字，与办理时效统计同源")
    pdf_name: Mapped[str] = mapped_column(String(80), comment="var/reports/monthly/ 下的 PDF 文件名")
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    csv_name: Mapped[str] = mapped_column(String(80), comment="var/reports/monthly/ 下的 CSV 文件名")
    csv_sha256: Mapped[str] = mapped_column(String(64))
    meeting_due: Mapped[dt.datetime | None] = mapped_column(AwareDateTime(), comment="召开联席会议并记录决议的期限")
    meeting_overdue_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime(), comment="逾期未记录决议的时间")
    meeting_date: Mapped[dt.date | None] = mapped_column(Date, comment="联席会议日期")
    attendees: Mapped[str | None] = mapped_column(Text, comment="参会单位及人员")
    resolutions: Mapped[str | None] = mapped_column(Text, comment="会议决议")
    recorded_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime(), comment="决议记录时间")
