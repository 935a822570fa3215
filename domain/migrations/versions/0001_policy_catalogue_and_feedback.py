"""policy catalogue and feedback

Revision ID: 0001
Revises:
Create Date: 2026-11-27 20:39:10.160714
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "process_instance_id",
            sa.String(length=64),
            nullable=False,
            comment="一个办件只反馈一次：重复执行的任务不会再写一条",
        ),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=32), nullable=False, comment="审查结论：approved / rejected"),
        sa.Column("opinion", sa.Text(), nullable=False, comment="部门书面意见"),
        sa.Column("message", sa.Text(), nullable=False, comment="专窗反馈给企业的文字"),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("process_instance_id", name=op.f("uq_feedback_process_instance_id")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_application_number"), ["application_number"], unique=False)

    op.create_table(
        "policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False, comment="政策编码，申报时填写"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "department_group", sa.String(length=64), nullable=False, comment="负责审查的部门在流程引擎中的用户组 id"
        ),
        sa.Column(
            "kind", sa.Enum("qualification", "funding", name="policykind", native_enum=False, length=16), nullable=False
        ),
        sa.Column(
            "level", sa.Enum("county", "higher", name="policylevel", native_enum=False, length=16), nullable=False
        ),
        sa.Column("needs_site_inspection", sa.Boolean(), nullable=False, comment="需现场核查 (R6)"),
        sa.Column("needs_expert_review", sa.Boolean(), nullable=False, comment="需专家评审 (R6)"),
        sa.Column("application_deadline", sa.Date(), nullable=True, comment="申报截止日；空表示常年受理"),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy")),
        sa.UniqueConstraint("code", name=op.f("uq_policy_code")),
    )


def downgrade() -> None:
    op.drop_table("policy")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_application_number"))

    op.drop_table("feedback")
