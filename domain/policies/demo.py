"""Demonstration policies for the embedded setup (one per kind of path), with their 申报指南 materials."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.policies.models import Policy, PolicyKind, PolicyLevel, PolicyMaterial

APPLICATION_FORM = "惠企政策兑现申请表"
LICENCE = "营业执照副本复印件"

DEMO_POLICIES: tuple[dict, ...] = (
    dict(
        code="KJ-2026-001",
        name="高新技术企业认定奖励",
        department_group="dept-science",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        needs_expert_review=True,
        application_deadline=dt.date(2026, 12, 18),
        materials=[APPLICATION_FORM, LICENCE, "高新技术企业证书", "上年度研发费用专项审计报告"],
    ),
    dict(
        code="GX-2026-001",
        name="县级专精特新中小企业认定",
        department_group="dept-industry",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.COUNTY,
        needs_site_inspection=True,
        materials=[APPLICATION_FORM, LICENCE, "近两年财务审计报告", "主导产品说明"],
    ),
    dict(
        code="GX-2026-002",
        name="省级技术创新示范企业推荐",
        department_group="dept-industry",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.HIGHER,
        materials=[APPLICATION_FORM, LICENCE, "技术创新工作总结"],
    ),
    dict(
        code="RS-2026-001",
        name="企业吸纳就业社会保险补贴",
        department_group="dept-hrss",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        materials=[APPLICATION_FORM, LICENCE, "新招用人员劳动合同", "社会保险缴费明细"],
    ),
    dict(
        code="SW-2026-001",
        name="外贸企业出口增量奖励",
        department_group="dept-commerce",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        needs_site_inspection=True,
        materials=[APPLICATION_FORM, LICENCE, "海关出口数据证明"],
    ),
    dict(
        code="NY-2026-001",
        name="县级农业产业化龙头企业认定",
        department_group="dept-agriculture",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.COUNTY,
        needs_site_inspection=True,
        needs_expert_review=True,
        materials=[APPLICATION_FORM, LICENCE, "基地与带农情况说明", "近两年财务审计报告"],
    ),
)


def build_policy(materials: list[str], **values) -> Policy:
    """A Policy with its numbered list of materials."""
    policy = Policy(**values)
    policy.materials = [
        PolicyMaterial(code=f"M{index:02d}", name=name, position=index) for index, name in enumerate(materials, start=1)
    ]
    return policy


def seed_demo_policies(session: Session) -> list[str]:
    """Add the demonstration policies that are missing; return the codes added."""
    existing = set(session.scalars(select(Policy.code)))
    added = []
    for values in DEMO_POLICIES:
        if values["code"] not in existing:
            session.add(build_policy(**values))
            added.append(values["code"])
    session.flush()
    return added
