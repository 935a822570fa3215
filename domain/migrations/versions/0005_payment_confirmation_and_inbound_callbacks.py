"""Payment confirmation details and inbound signed callbacks (R9, R10, R19).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment_order") as batch:
        batch.add_column(sa.Column("confirmed_on", sa.Date(), nullable=True, comment="银行到账日期"))
        batch.add_column(sa.Column("confirmed_amount", sa.Numeric(14, 2), nullable=True, comment="到账金额"))
        batch.add_column(
            sa.Column("confirmation_source", sa.String(length=16), nullable=True, comment="tasklist / callback")
        )
    op.create_table(
        "inbound_callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="payment / municipal"),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_callback")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_inbound_callback_idempotency_key")),
    )
    op.create_index(
        op.f("ix_inbound_callback_application_number"), "inbound_callback", ["application_number"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_inbound_callback_application_number"), table_name="inbound_callback")
    op.drop_table("inbound_callback")
    with op.batch_alter_table("payment_order") as batch:
        batch.drop_column("confirmation_source")
        batch.drop_column("confirmed_amount")
        batch.drop_column("confirmed_on")
