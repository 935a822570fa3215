"""The payee the department approved, kept with its decision (issue 11: money facts from their records).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("payee_bank", sa.String(length=100), nullable=True, comment="部门核定的收款开户银行"))
        batch.add_column(sa.Column("payee_account", sa.String(length=32), nullable=True, comment="部门核定的收款账号"))


def downgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("payee_account")
        batch.drop_column("payee_bank")
