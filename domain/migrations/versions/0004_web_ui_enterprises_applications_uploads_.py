"""web ui: enterprises, applications, uploads, guides and versions, objections, audit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 22:44:58.105078
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False, comment="申报编号，流程实例的业务键"),
        sa.Column(
            "submit_token", sa.String(length=64), nullable=False, comment="表单一次性令牌：重复提交不会产生第二份申报"
        ),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("guide_version", sa.Integer(), nullable=False, comment="申报时所依据的《申报指南》版本"),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("payee_bank", sa.String(length=100), nullable=True),
        sa.Column("payee_account", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False, comment="online 网上专区 / window 专窗代办"),
        sa.Column("submitted_by", sa.String(length=64), nullable=False, comment="提交人：企业信用代码或专窗工作人员"),
        sa.Column(
            "submitted_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("process_instance_id", sa.String(length=64), nullable=True, comment="流程启动后填写"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
        sa.UniqueConstraint("number", name=op.f("uq_application_number")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_application_submit_token")),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_credit_code"), ["credit_code"], unique=False)

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False, comment="enterprise / staff / public"),
        sa.Column("actor", sa.String(length=64), nullable=False, comment="统一社会信用代码或工作人员用户名"),
        sa.Column("action", sa.String(length=64), nullable=False, comment="如 application.submitted、policy.published"),
        sa.Column("target", sa.String(length=100), nullable=False, comment="申报编号、政策编码等"),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True, comment="请求来源地址"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)

    op.create_table(
        "enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False, comment="统一社会信用代码（已校验）"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False, comment="argon2id"),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_enterprise_credit_code")),
    )
    op.create_table(
        "policy_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("department_group", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_draft")),
        sa.UniqueConstraint("policy_code", name=op.f("uq_policy_draft_policy_code")),
    )
    with op.batch_alter_table("policy_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_draft_department_group"), ["department_group"], unique=False)

    op.create_table(
        "policy_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False, comment="发布时的指南全文（含材料清单）"),
        sa.Column(
            "published_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_version")),
        sa.UniqueConstraint("policy_code", "version", name=op.f("uq_policy_version_policy_code")),
    )
    with op.batch_alter_table("policy_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_version_policy_code"), ["policy_code"], unique=False)

    op.create_table(
        "objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("application_number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["announcement_id"], ["announcement.id"], name=op.f("fk_objection_announcement_id_announcement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objection_announcement_id"), ["announcement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objection_application_number"), ["application_number"], unique=False)

    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("material_code", sa.String(length=32), nullable=False),
        sa.Column("material_name", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False, comment="仅用于显示"),
        sa.Column("stored_name", sa.String(length=64), nullable=False, comment="系统生成的存储名"),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False, comment="0 为首次申报，n 为第 n 次补正"),
        sa.Column(
            "uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_upload_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_upload_stored_name")),
    )
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_application_id"), ["application_id"], unique=False)

    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("application_start", sa.Date(), nullable=True, comment="申报开始日；空表示已开始")
        )
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=False, server_default="", comment="政策简介"))
        batch_op.add_column(sa.Column("conditions", sa.Text(), nullable=False, server_default="", comment="申报条件"))
        batch_op.add_column(
            sa.Column("support_standard", sa.Text(), nullable=False, server_default="", comment="扶持标准（金额等）")
        )
        batch_op.add_column(
            sa.Column("contact", sa.String(length=200), nullable=False, server_default="", comment="咨询联系人与电话")
        )
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default="1", comment="当前发布的《申报指南》版本")
        )
        batch_op.add_column(
            sa.Column(
                "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
            )
        )

    with op.batch_alter_table("policy_material", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("template_filename", sa.String(length=200), nullable=True, comment="模板下载时的文件名")
        )
        batch_op.add_column(sa.Column("template_content_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("template", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("template_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("policy_material", schema=None) as batch_op:
        batch_op.drop_column("template_sha256")
        batch_op.drop_column("template")
        batch_op.drop_column("template_content_type")
        batch_op.drop_column("template_filename")

    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("version")
        batch_op.drop_column("contact")
        batch_op.drop_column("support_standard")
        batch_op.drop_column("conditions")
        batch_op.drop_column("summary")
        batch_op.drop_column("application_start")

    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_application_id"))

    op.drop_table("upload")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_application_number"))
        batch_op.drop_index(batch_op.f("ix_objection_announcement_id"))

    op.drop_table("objection")
    with op.batch_alter_table("policy_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_version_policy_code"))

    op.drop_table("policy_version")
    with op.batch_alter_table("policy_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_draft_department_group"))

    op.drop_table("policy_draft")
    op.drop_table("enterprise")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))

    op.drop_table("audit_entry")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_credit_code"))

    op.drop_table("application")
