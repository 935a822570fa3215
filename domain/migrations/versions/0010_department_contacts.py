"""The departments' people (R14): each department's lead section and liaison, kept by the joint-meeting office.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "department_contact",
        sa.Column("group_id", sa.String(length=64), nullable=False, comment="部门用户组 id（domain/organisation.py）"),
        sa.Column("lead_section", sa.String(length=40), nullable=False, comment="牵头科室"),
        sa.Column("liaison_name", sa.String(length=20), nullable=False, comment="联络员姓名"),
        sa.Column("liaison_phone", sa.String(length=24), nullable=False, comment="联络员电话：带区号的固定电话或 11 位手机号"),
        sa.Column("liaison_email", sa.String(length=254), nullable=False, comment="联络员电子邮箱：发往本部门的通知寄到此处"),
        sa.Column("version", sa.Integer(), nullable=False, comment="修改次数：页面提交时核对，防止覆盖他人的修改"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False, comment="最后修改的工作人员用户名"),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_department_contact")),
    )


def downgrade() -> None:
    op.drop_table("department_contact")
