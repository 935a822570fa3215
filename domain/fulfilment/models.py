"""Records of the fulfilment stage, one per case each (R8–R10, R19, R20)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base

MONEY = Numeric(14, 2)


class Decision(Base):
    """The department's review result (R6, R7): the base of the fulfilment deadlines."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(String(64), unique=True)
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    department_group: Mapped[str] = mapped_column(String(64), index=True)
    policy_code: Mapped[str] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(16), comment="approved / rejected")
    approved_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    payee_bank: Mapped[str | None] = mapped_column(String(100), comment="部门核定的收款开户银行")
    payee_account: Mapped[str | None] = mapped_column(String(32), comment="部门核定的收款账号")
    opinion: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[dt.date]
    round: Mapped[int] = mapped_column(default=1, comment="财政退回后重新作出的次数")


class Announcement(Base):
    """A public announcement (公示) with its objection period (R20)."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(String(64), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())
    objection_period_ends: Mapped[dt.datetime] = mapped_column(AwareDateTime())


class PaymentOrder(Base):
    """The order to pay county special funds (R9, R19)."""

    __tablename__ = "payment_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(String(64), unique=True, comment="一个办件只有一张支付指令")
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    policy_code: Mapped[str] = mapped_column(String(32))
    department_group: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    payee_name: Mapped[str] = mapped_column(String(200))
    payee_bank: Mapped[str] = mapped_column(String(100))
    payee_account: Mapped[str] = mapped_column(String(32))
    document_reference: Mapped[str] = mapped_column(String(64), comment="资金拨付通知书文号")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime(), index=True)  # dashboard: paid per month
    bank_reference: Mapped[str | None] = mapped_column(String(64))
    confirmed_on: Mapped[dt.date | None] = mapped_column(comment="银行到账日期")
    confirmed_amount: Mapped[Decimal | None] = mapped_column(MONEY, comment="到账金额")
    confirmation_source: Mapped[str | None] = mapped_column(String(16), comment="tasklist / callback")


class InboundCallback(Base):
    """A signed call from the bank or the city, kept by its idempotency key: a replay is refused (R9, R10)."""

    __tablename__ = "inbound_callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16), comment="payment / municipal")
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())
    body_sha256: Mapped[str] = mapped_column(String(64))


class MunicipalReport(Base):
    """The case package reported to the municipal department (R10)."""

    __tablename__ = "municipal_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(String(64), unique=True)
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    department_group: Mapped[str] = mapped_column(String(64))
    municipal_department: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text, comment="报送的办件材料包（JSON）")
    reported_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), comment="首次准备报送的时间")
    status: Mapped[str] = mapped_column(String(16), default="pending", comment="pending / sent / offline")
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime())
    remote_reference: Mapped[str | None] = mapped_column(String(100), comment="市级系统返回的收件编号")


class MunicipalResult(Base):
    """The city's result on a reported case as it was recorded (R10; issue 11: money facts from their records):
    by the department's 登记市级审查结果 task or the city's signed callback. The payment order of funds the
    city approved pays this amount, never a variable read later."""

    __tablename__ = "municipal_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_instance_id: Mapped[str] = mapped_column(
        String(64), unique=True, comment="一个办件一条；再次上报后的结果替换之"
    )
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    result: Mapped[str] = mapped_column(String(16), comment="approved / rejected")
    amount: Mapped[Decimal | None] = mapped_column(MONEY, comment="市级核定金额")
    payer: Mapped[str | None] = mapped_column(String(16), comment="county / municipal：核定资金由谁支付")
    document_number: Mapped[str] = mapped_column(String(64), comment="市级文件文号")
    source: Mapped[str] = mapped_column(String(16), comment="tasklist / callback")
    source_reference: Mapped[str] = mapped_column(String(120), comment="登记任务的活动实例 id 或回调的幂等键")
    recorded_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())


class Objection(Base):
    """An objection raised against a public announcement during its period (R20)."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcement.id"), index=True)
    application_number: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(50))
    contact: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
