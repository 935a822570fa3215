"""Demonstration policies for the embedded setup and the tests (one per kind of path)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.policies.models import Policy, PolicyKind, PolicyLevel

DEMO_POLICIES: tuple[dict, ...] = (
    dict(code="KJ-2026-001", name="高新技术企业认定奖励", department_group="dept-science",
         kind=PolicyKind.FUNDING, level=PolicyLevel.COUNTY, needs_expert_review=True,
         application_deadline=dt.date(2026, 12, 31)),
    dict(code="GX-2026-001", name="县级专精特新中小企业认定", department_group="dept-industry",
         kind=PolicyKind.QUALIFICATION, level=PolicyLevel.COUNTY, needs_site_inspection=True),
    dict(code="GX-2026-002", name="省级技术创新示范企业推荐", department_group="dept-industry",
         kind=PolicyKind.QUALIFICATION, level=PolicyLevel.HIGHER),
    dict(code="RS-2026-001", name="企业吸纳就业社会保险补贴", department_group="dept-hrss",
         kind=PolicyKind.FUNDING, level=PolicyLevel.COUNTY),
    dict(code="SW-2026-001", name="外贸企业出口增量奖励", department_group="dept-commerce",
         kind=PolicyKind.FUNDING, level=PolicyLevel.COUNTY, needs_site_inspection=True),
    dict(code="NY-2026-001", name="县级农业产业化龙头企业认定", department_group="dept-agriculture",
         kind=PolicyKind.QUALIFICATION, level=PolicyLevel.COUNTY, needs_site_inspection=True,
         needs_expert_review=True),
)


def seed_demo_policies(session: Session) -> list[str]:
    """Add the demonstration policies that are missing; return the codes added."""
    existing = set(session.scalars(select(Policy.code)))
    added = []
    for values in DEMO_POLICIES:
        if values["code"] not in existing:
            session.add(Policy(**values))
            added.append(values["code"])
    session.flush()
    return added
