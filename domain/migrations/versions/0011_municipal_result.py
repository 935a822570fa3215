"""The city's result kept as a record (issue 11: money facts from their records, not free variables).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "municipal_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False,
                  comment="一个办件一条；再次上报后的结果替换之"),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False, comment="approved / rejected"),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True, comment="市级核定金额"),
        sa.Column("payer", sa.String(length=16), nullable=True, comment="county / municipal：核定资金由谁支付"),
        sa.Column("document_number", sa.String(length=64), nullable=False, comment="市级文件文号"),
        sa.Column("source", sa.String(length=16), nullable=False, comment="tasklist / callback"),
        sa.Column("source_reference", sa.String(length=120), nullable=False,
                  comment="登记任务的活动实例 id 或回调的幂等键"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_result")),
        sa.UniqueConstraint("process_instance_id", name=op.f("uq_municipal_result_process_instance_id")),
    )  # fmt: skip
    with op.batch_alter_table("municipal_result") as batch:
        batch.create_index(batch.f("ix_municipal_result_application_number"), ["application_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("municipal_result") as batch:
        batch.drop_index(batch.f("ix_municipal_result_application_number"))
    op.drop_table("municipal_result")
