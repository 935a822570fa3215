"""Enterprise binding: accounts bound by the window's one-time code; who filed an application online (issue 11).

Existing accounts start unbound (they see only what they filed online themselves until the window hands them
a binding code); their online applications are attributed to them here.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprise") as batch:
        batch.add_column(
            sa.Column(
                "bound_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="凭专窗绑定码绑定企业的时间；未绑定的账户只能看到自己网上提交的申报",
            )
        )
        batch.add_column(
            sa.Column(
                "credentials_changed_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="密码被绑定码持有人重设的时间：此前登录的会话一律失效",
            )
        )
    op.create_table(
        "binding_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False, comment="发给哪家企业"),
        sa.Column("code_hash", sa.String(length=64), nullable=False, comment="规范化后绑定码的 SHA-256（十六进制）"),
        sa.Column("issued_by", sa.String(length=64), nullable=False, comment="发放的专窗工作人员"),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, comment="过期时间；重新发放时旧码即刻过期"),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["used_by_enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_binding_code_used_by_enterprise_id_enterprise"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_binding_code")),
    )
    op.create_index(op.f("ix_binding_code_credit_code"), "binding_code", ["credit_code"], unique=False)
    with op.batch_alter_table("application") as batch:
        batch.add_column(
            sa.Column(
                "filed_by_enterprise_id",
                sa.Integer(),
                nullable=True,
                comment="网上提交的账户；专窗代办或 Tasklist 发起的为空（未绑定的账户只看得到自己提交的）",
            )
        )
        batch.create_foreign_key(
            op.f("fk_application_filed_by_enterprise_id_enterprise"),
            "enterprise",
            ["filed_by_enterprise_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_application_filed_by_enterprise_id"), ["filed_by_enterprise_id"], unique=False)
    # Online applications so far were filed by the one account of their credit code.
    op.execute(
        "UPDATE application SET filed_by_enterprise_id = "
        "(SELECT enterprise.id FROM enterprise WHERE enterprise.credit_code = application.credit_code) "
        "WHERE channel = 'online'"
    )


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.drop_index(op.f("ix_application_filed_by_enterprise_id"))
        batch.drop_constraint(op.f("fk_application_filed_by_enterprise_id_enterprise"), type_="foreignkey")
        batch.drop_column("filed_by_enterprise_id")
    op.drop_index(op.f("ix_binding_code_credit_code"), table_name="binding_code")
    op.drop_table("binding_code")
    with op.batch_alter_table("enterprise") as batch:
        batch.drop_column("credentials_changed_at")
        batch.drop_column("bound_at")
