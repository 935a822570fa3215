"""The joint meeting's monthly report (R17): one row per month, its files and the meeting's record (issue 13).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "joint_meeting_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False, comment="报告月份，如 2026-11；每月只生成一次"),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False, comment="生成该报告的流程实例"),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False, comment="生成时间（统计当前超期的时点）"),
        sa.Column("received", sa.Integer(), nullable=False, comment="本月受理件数（全部办件）"),
        sa.Column("figures", sa.JSON(), nullable=False, comment="各部门数字，与办理时效统计同源"),
        sa.Column("pdf_name", sa.String(length=80), nullable=False, comment="var/reports/monthly/ 下的 PDF 文件名"),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("csv_name", sa.String(length=80), nullable=False, comment="var/reports/monthly/ 下的 CSV 文件名"),
        sa.Column("csv_sha256", sa.String(length=64), nullable=False),
        sa.Column("meeting_due", sa.DateTime(timezone=True), nullable=True, comment="召开联席会议并记录决议的期限"),
        sa.Column("meeting_overdue_at", sa.DateTime(timezone=True), nullable=True, comment="逾期未记录决议的时间"),
        sa.Column("meeting_date", sa.Date(), nullable=True, comment="联席会议日期"),
        sa.Column("attendees", sa.Text(), nullable=True, comment="参会单位及人员"),
        sa.Column("resolutions", sa.Text(), nullable=True, comment="会议决议"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True, comment="决议记录时间"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_meeting_report")),
        sa.UniqueConstraint("month", name=op.f("uq_joint_meeting_report_month")),
    )


def downgrade() -> None:
    op.drop_table("joint_meeting_report")
