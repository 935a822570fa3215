"""Policy and its 申报指南 materials: one pro-business policy in the county's catalogue (R13)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Enum, ForeignKey, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from domain.db import AwareDateTime, Base


class PolicyKind(enum.Enum):
    QUALIFICATION = "qualification"  # 资质认定类 (R8)
    FUNDING = "funding"  # 资金扶持类 (R9)


class PolicyLevel(enum.Enum):
    COUNTY = "county"  # 县本级兑现
    HIGHER = "higher"  # 上级兑现 (R10)


def _values(enum_type: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_type]


class Policy(Base):
    __tablename__ = "policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, comment="政策编码，申报时填写")
    name: Mapped[str] = mapped_column(String(200))
    department_group: Mapped[str] = mapped_column(String(64), comment="负责审查的部门在流程引擎中的用户组 id")
    kind: Mapped[PolicyKind] = mapped_column(Enum(PolicyKind, native_enum=False, length=16, values_callable=_values))
    level: Mapped[PolicyLevel] = mapped_column(Enum(PolicyLevel, native_enum=False, length=16, values_callable=_values))
    needs_site_inspection: Mapped[bool] = mapped_column(default=False, comment="需现场核查 (R6)")
    needs_expert_review: Mapped[bool] = mapped_column(default=False, comment="需专家评审 (R6)")
    expert_count: Mapped[int] = mapped_column(default=3, comment="专家评审时抽取的专家人数")
    application_start: Mapped[dt.date | None] = mapped_column(comment="申报开始日；空表示已开始")
    application_deadline: Mapped[dt.date | None] = mapped_column(comment="申报截止日；空表示常年受理")
    published: Mapped[bool] = mapped_column(default=True)
    # The 申报指南 (R13): what the public reads.
    summary: Mapped[str] = mapped_column(Text, default="", comment="政策简介")
    conditions: Mapped[str] = mapped_column(Text, default="", comment="申报条件")
    support_standard: Mapped[str] = mapped_column(Text, default="", comment="扶持标准（金额等）")
    contact: Mapped[str] = mapped_column(String(200), default="", comment="咨询联系人与电话")
    version: Mapped[int] = mapped_column(default=1, comment="当前发布的《申报指南》版本")
    updated_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    materials: Mapped[list[PolicyMaterial]] = relationship(
        back_populates="policy", order_by="PolicyMaterial.position", cascade="all, delete-orphan"
    )

    def is_open_on(self, day: dt.date) -> bool:
        """Whether applications are accepted on this day (from the start up to and including the deadline)."""
        started = self.application_start is None or self.application_start <= day
        return started and (self.application_deadline is None or day <= self.application_deadline)


class PolicyMaterial(Base):
    """One item of the 申报指南's list of materials (R2)."""

    __tablename__ = "policy_material"
    __table_args__ = (UniqueConstraint("policy_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32), comment="材料编号，在本政策内唯一")
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    template_filename: Mapped[str | None] = mapped_column(String(200), comment="模板下载时的文件名")
    template_content_type: Mapped[str | None] = mapped_column(String(100))
    template: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    template_sha256: Mapped[str | None] = mapped_column(String(64))
    policy: Mapped[Policy] = relationship(back_populates="materials")


class PolicyVersion(Base):
    """A published 申报指南 as it stood: an application keeps the version it was filed under."""

    __tablename__ = "policy_version"
    __table_args__ = (UniqueConstraint("policy_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_code: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON, comment="发布时的指南全文（含材料清单）")
    published_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    published_by: Mapped[str] = mapped_column(String(64))


class PolicyDraft(Base):
    """A department's unpublished edit of a policy (or a new one)."""

    __tablename__ = "policy_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_code: Mapped[str] = mapped_column(String(32), unique=True)
    department_group: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now(), onupdate=func.now())
