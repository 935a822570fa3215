"""DepartmentContact: a department's lead section and liaison, kept by the joint-meeting office (R14)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import AwareDateTime, Base

# The longest value each field takes (the form and the service refuse longer ones with a message).
LEAD_SECTION_MAX = 40
LIAISON_NAME_MAX = 20
PHONE_MAX = 24  # 0591-12345678-123456, the longest landline with its extension
EMAIL_MAX = 254  # RFC 5321's limit on a path


class DepartmentContact(Base):
    __tablename__ = "department_contact"

    group_id: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="部门用户组 id（domain/organisation.py）"
    )
    lead_section: Mapped[str] = mapped_column(String(LEAD_SECTION_MAX), comment="牵头科室")
    liaison_name: Mapped[str] = mapped_column(String(LIAISON_NAME_MAX), comment="联络员姓名")
    liaison_phone: Mapped[str] = mapped_column(String(PHONE_MAX), comment="联络员电话：带区号的固定电话或 11 位手机号")
    liaison_email: Mapped[str] = mapped_column(String(EMAIL_MAX), comment="联络员电子邮箱：发往本部门的通知寄到此处")
    version: Mapped[int] = mapped_column(comment="修改次数：页面提交时核对，防止覆盖他人的修改")
    updated_at: Mapped[dt.datetime] = mapped_column(AwareDateTime())
    updated_by: Mapped[str] = mapped_column(String(64), comment="最后修改的工作人员用户名")

    # Compare-and-set on every update: two members of the office editing at once never overwrite each other.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's class-level declaration
