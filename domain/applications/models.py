"""Applications, their uploads, their numbers, and the unified feedback at the end of a case (R12)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.cases import NewCase
from domain.db import AwareDateTime, Base


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(
        String(64), unique=True, comment="一个办件只反馈一次：重复执行的任务不会再写一条"
    )
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    policy_code: Mapped[str] = mapped_column(String(32))
    department_group: Mapped[str] = mapped_column(String(64), comment="负责的部门；未分流即结束的为 window")
    result: Mapped[str] = mapped_column(String(32), comment="办理结果 outcome，见 domain/applications/outcomes.py")
    opinion: Mapped[str] = mapped_column(Text, comment="部门（或专窗）的书面意见")
    message: Mapped[str] = mapped_column(Text, comment="专窗反馈给企业的文字")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())


class ApplicationSequence(Base):
    """The last application number given out on one day (HQ-20260928-0001…)."""

    __tablename__ = "application_sequence"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Application(Base):
    """An application filed online or at the window (R1, R2): the case's business key is its number."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True, comment="申报编号，流程实例的业务键")
    submit_token: Mapped[str] = mapped_column(
        String(64), unique=True, comment="表单一次性令牌：重复提交不会产生第二份申报"
    )
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    policy_code: Mapped[str] = mapped_column(String(32))
    guide_version: Mapped[int] = mapped_column(comment="申报时所依据的《申报指南》版本")
    summary: Mapped[str] = mapped_column(Text, default="")
    payee_bank: Mapped[str | None] = mapped_column(String(100))
    payee_account: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16), comment="online 网上专区 / window 专窗代办")
    submitted_by: Mapped[str] = mapped_column(String(64), comment="提交人：企业信用代码或专窗工作人员")
    filed_by_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="SET NULL"),
        index=True,
        comment="网上提交的账户；专窗代办或 Tasklist 发起的为空（未绑定的账户只看得到自己提交的）",
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    process_instance_id: Mapped[str | None] = mapped_column(
        String(64), index=True, comment="流程启动后填写"
    )  # the acceptance worker finds a case's application by it (bind_case)
    uploads: Mapped[list[Upload]] = relationship(back_populates="application", order_by="Upload.id")

    def new_case(self, intake_by: str | None = None) -> NewCase:
        """What the engine needs to start this application's case, as plain data."""
        return NewCase(
            application_number=self.number,
            enterprise_name=self.enterprise_name,
            credit_code=self.credit_code,
            policy_code=self.policy_code,
            guide_version=self.guide_version,
            contact_name=self.contact_name,
            contact_phone=self.phone,
            contact_email=self.email,
            summary=self.summary,
            payee_bank=self.payee_bank,
            payee_account=self.payee_account,
            channel=self.channel,
            material_codes=tuple(sorted({u.material_code for u in self.uploads})),
            intake_by=intake_by,
        )


class Upload(Base):
    """One uploaded file: kept under a generated name, never the name the user gave."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    material_code: Mapped[str] = mapped_column(String(32))
    material_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(255), comment="仅用于显示")
    stored_name: Mapped[str] = mapped_column(String(64), unique=True, comment="系统生成的存储名")
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column(default=0, comment="0 为首次申报，n 为第 n 次补正")
    uploaded_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    application: Mapped[Application] = relationship(back_populates="uploads")
