"""Enterprise: an account of the online window (网上专区); BindingCode: the window's proof that binds it.

An account is *bound* to its enterprise once ``bound_at`` is set: then it sees every case of its credit
code. Until then it sees only the applications it filed online itself (see binding.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base


class Enterprise(Base):
    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True, comment="统一社会信用代码（已校验）")
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200), comment="argon2id")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), server_default=func.now())
    bound_at: Mapped[dt.datetime | None] = mapped_column(
        AwareDateTime(), comment="凭专窗绑定码绑定企业的时间；未绑定的账户只能看到自己网上提交的申报"
    )
    credentials_changed_at: Mapped[dt.datetime | None] = mapped_column(
        AwareDateTime(), comment="密码被绑定码持有人重设的时间：此前登录的会话一律失效"
    )

    @property
    def bound(self) -> bool:
        return self.bound_at is not None


class BindingCode(Base):
    """A one-time code the window hands to the enterprise's legal representative; only its SHA-256 is kept."""

    __tablename__ = "binding_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), index=True, comment="发给哪家企业")
    code_hash: Mapped[str] = mapped_column(String(64), comment="规范化后绑定码的 SHA-256（十六进制）")
    issued_by: Mapped[str] = mapped_column(String(64), comment="发放的专窗工作人员")
    issued_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(AwareDateTime(), comment="过期时间；重新发放时旧码即刻过期")
    used_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime())
    used_by_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="SET NULL"))
