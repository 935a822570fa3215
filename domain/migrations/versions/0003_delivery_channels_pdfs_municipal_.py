"""delivery channels, PDFs, municipal transmission

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 22:02:58.635960
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False, comment="portal / email / sms"),
        sa.Column("status", sa.String(length=16), nullable=False, comment="pending/sending/sent/failed"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_delivery_notice_id_notice"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_delivery")),
        sa.UniqueConstraint("notice_id", "channel", name=op.f("uq_notice_delivery_notice_id")),
    )
    with op.batch_alter_table("notice_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_delivery_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_delivery_status"), ["status"], unique=False)

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True, comment="PDF 文件；编号后生成"))
        batch_op.add_column(
            sa.Column("pdf_sha256", sa.String(length=64), nullable=True, comment="PDF 的 SHA-256 校验值")
        )

    with op.batch_alter_table("municipal_report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payload", sa.Text(), nullable=False, server_default="{}", comment="报送的办件材料包（JSON）")
        )
        batch_op.add_column(
            sa.Column(
                "status",
                sa.String(length=16),
                nullable=False,
                server_default="offline",
                comment="pending / sent / offline",
            )
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("remote_reference", sa.String(length=100), nullable=True, comment="市级系统返回的收件编号")
        )

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True, comment="写入时企业的电子邮箱"))
        batch_op.add_column(sa.Column("phone", sa.String(length=32), nullable=True, comment="写入时企业的联系电话"))

    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "document_reference",
                sa.String(length=64),
                nullable=False,
                server_default="",
                comment="资金拨付通知书文号",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.drop_column("document_reference")

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("email")

    with op.batch_alter_table("municipal_report", schema=None) as batch_op:
        batch_op.drop_column("remote_reference")
        batch_op.drop_column("sent_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("status")
        batch_op.drop_column("payload")

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("pdf_sha256")
        batch_op.drop_column("pdf")

    with op.batch_alter_table("notice_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_notice_delivery_notice_id"))

    op.drop_table("notice_delivery")
