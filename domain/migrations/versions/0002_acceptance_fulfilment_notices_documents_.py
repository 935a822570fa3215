"""acceptance, fulfilment, notices, documents, timeliness

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:50:15.500935
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("objection_period_ends", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_announcement_idempotency_key")),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcement_application_number"), ["application_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_announcement_process_instance_id"), ["process_instance_id"], unique=False)

    op.create_table(
        "application_sequence",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_application_sequence")),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False, comment="approved / rejected"),
        sa.Column("approved_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False, comment="财政退回后重新作出的次数"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("process_instance_id", name=op.f("uq_decision_process_instance_id")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_application_number"), ["application_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_department_group"), ["department_group"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False, comment="部门当年的顺序号，无空号、无重号"),
        sa.Column("reference", sa.String(length=64), nullable=False, comment="文号，如 县科技局〔2026〕17号"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "issued_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("department_group", "year", "number", name=op.f("uq_document_department_group")),
        sa.UniqueConstraint("process_instance_id", "kind", name=op.f("uq_document_process_instance_id")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_application_number"), ["application_number"], unique=False)

    op.create_table(
        "document_sequence",
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("department_group", "year", name=op.f("pk_document_sequence")),
    )
    op.create_table(
        "municipal_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("municipal_department", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_report")),
        sa.UniqueConstraint("process_instance_id", name=op.f("uq_municipal_report_process_instance_id")),
    )
    with op.batch_alter_table("municipal_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_municipal_report_application_number"), ["application_number"], unique=False
        )

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "idempotency_key", sa.String(length=200), nullable=False, comment="同一效果只写一次：办件 + 通知种类 + 轮次"
        ),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False, comment="通知种类，见 domain/notices/kinds.py"),
        sa.Column("recipient", sa.String(length=64), nullable=False, comment="企业统一社会信用代码，或部门用户组 id"),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_notice_idempotency_key")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_application_number"), ["application_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_process_instance_id"), ["process_instance_id"], unique=False)

    op.create_table(
        "overdue_escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.String(length=64), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("responsible_group", sa.String(length=64), nullable=False, comment="负责该任务的用户组"),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "escalated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overdue_escalation")),
        sa.UniqueConstraint("task_id", "due_at", name=op.f("uq_overdue_escalation_task_id")),
    )
    with op.batch_alter_table("overdue_escalation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_overdue_escalation_application_number"), ["application_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_overdue_escalation_process_instance_id"), ["process_instance_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_overdue_escalation_responsible_group"), ["responsible_group"], unique=False
        )

    op.create_table(
        "payment_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_instance_id", sa.String(length=64), nullable=False, comment="一个办件只有一张支付指令"),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("payee_name", sa.String(length=200), nullable=False),
        sa.Column("payee_bank", sa.String(length=100), nullable=False),
        sa.Column("payee_account", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bank_reference", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_order")),
        sa.UniqueConstraint("process_instance_id", name=op.f("uq_payment_order_process_instance_id")),
    )
    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_order_application_number"), ["application_number"], unique=False)

    op.create_table(
        "policy_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False, comment="材料编号，在本政策内唯一"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policy.id"], name=op.f("fk_policy_material_policy_id_policy"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_material")),
        sa.UniqueConstraint("policy_id", "code", name=op.f("uq_policy_material_policy_id")),
    )
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "expert_count",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("3"),
                comment="专家评审时抽取的专家人数",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.drop_column("expert_count")

    op.drop_table("policy_material")
    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_order_application_number"))

    op.drop_table("payment_order")
    with op.batch_alter_table("overdue_escalation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_overdue_escalation_responsible_group"))
        batch_op.drop_index(batch_op.f("ix_overdue_escalation_process_instance_id"))
        batch_op.drop_index(batch_op.f("ix_overdue_escalation_application_number"))

    op.drop_table("overdue_escalation")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_process_instance_id"))
        batch_op.drop_index(batch_op.f("ix_notice_application_number"))

    op.drop_table("notice")
    with op.batch_alter_table("municipal_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipal_report_application_number"))

    op.drop_table("municipal_report")
    op.drop_table("document_sequence")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_application_number"))

    op.drop_table("document")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_department_group"))
        batch_op.drop_index(batch_op.f("ix_decision_application_number"))

    op.drop_table("decision")
    op.drop_table("application_sequence")
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcement_process_instance_id"))
        batch_op.drop_index(batch_op.f("ix_announcement_application_number"))

    op.drop_table("announcement")
