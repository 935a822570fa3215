"""Indexes for the dashboard, the inboxes and the lists (issue 12); docs/operations.md names each one's query.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The staff inbox and its count on the staff home page (recipient IN the groups, newest first), and an
    # enterprise's inbox (recipient = its credit code, newest first).
    op.create_index("ix_notice_recipient_id", "notice", ["recipient", "id"], unique=False)
    # The dashboard: funds paid per department in a month (confirmed_at in the month, or set at all).
    op.create_index(op.f("ix_payment_order_confirmed_at"), "payment_order", ["confirmed_at"], unique=False)
    # The dashboard: escalations per department in a month.
    op.create_index(op.f("ix_overdue_escalation_escalated_at"), "overdue_escalation", ["escalated_at"], unique=False)
    # The acceptance worker finds the application of each new case by its process instance (bind_case).
    op.create_index(op.f("ix_application_process_instance_id"), "application", ["process_instance_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_application_process_instance_id"), table_name="application")
    op.drop_index(op.f("ix_overdue_escalation_escalated_at"), table_name="overdue_escalation")
    op.drop_index(op.f("ix_payment_order_confirmed_at"), table_name="payment_order")
    op.drop_index("ix_notice_recipient_id", table_name="notice")
