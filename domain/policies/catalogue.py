"""The public catalogue (R13, R15): search, each policy's 申报指南, who pays, and guide snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from domain.organisation import unit_for_group
from domain.policies.models import Policy, PolicyKind, PolicyLevel, PolicyVersion

KIND_TEXT = {PolicyKind.QUALIFICATION: "资质认定类", PolicyKind.FUNDING: "资金扶持类"}
LEVEL_TEXT = {PolicyLevel.COUNTY: "县本级兑现", PolicyLevel.HIGHER: "上级兑现"}
STATUS_TEXT = {"open": "申报中", "upcoming": "未开始", "closed": "已截止"}


@dataclass(frozen=True)
class CatalogueQuery:
    keyword: str = ""
    department: str = ""
    kind: str = ""
    level: str = ""
    status: str = ""  # open / upcoming / closed, or any


def status_of(policy: Policy, today: dt.date) -> str:
    if policy.application_start and today < policy.application_start:
        return "upcoming"
    if policy.application_deadline and today > policy.application_deadline:
        return "closed"
    return "open"


def payer_text(policy: Policy) -> str:
    """Who delivers the benefit (R8–R10, R19)."""
    department = unit_for_group(policy.department_group).name
    if policy.level is PolicyLevel.HIGHER:
        return f"上级主管部门兑现（{department}初审并上报）"
    if policy.kind is PolicyKind.FUNDING:
        return f"县财政局会同{department}拨付专项资金"
    return f"{department}下发认定文件"


def search(session: Session, query: CatalogueQuery, today: dt.date, with_materials: bool = False) -> list[Policy]:
    """The published policies the query asks for, by code; their materials loaded too only when the page lists
    them (the window's intake): the public catalogue, the busiest page, does not."""
    statement = select(Policy).where(Policy.published.is_(True)).order_by(Policy.code)
    if with_materials:
        statement = statement.options(selectinload(Policy.materials))
    if query.keyword.strip():
        pattern = f"%{query.keyword.strip()}%"
        statement = statement.where(
            or_(Policy.name.ilike(pattern), Policy.code.ilike(pattern), Policy.summary.ilike(pattern))
        )
    if query.department:
        statement = statement.where(Policy.department_group == query.department)
    if query.kind in {k.value for k in PolicyKind}:
        statement = statement.where(Policy.kind == PolicyKind(query.kind))
    if query.level in {k.value for k in PolicyLevel}:
        statement = statement.where(Policy.level == PolicyLevel(query.level))
    policies = list(session.scalars(statement))
    if query.status in STATUS_TEXT:
        policies = [p for p in policies if status_of(p, today) == query.status]
    return policies


def guide_content(policy: Policy) -> dict:
    """The 申报指南 as published: what a version snapshot keeps and a page shows."""
    return {
        "code": policy.code,
        "name": policy.name,
        "department_group": policy.department_group,
        "kind": policy.kind.value,
        "level": policy.level.value,
        "needs_site_inspection": policy.needs_site_inspection,
        "needs_expert_review": policy.needs_expert_review,
        "expert_count": policy.expert_count,
        "application_start": policy.application_start.isoformat() if policy.application_start else None,
        "application_deadline": policy.application_deadline.isoformat() if policy.application_deadline else None,
        "summary": policy.summary,
        "conditions": policy.conditions,
        "support_standard": policy.support_standard,
        "contact": policy.contact,
        "payer": payer_text(policy),
        "materials": [{"code": m.code, "name": m.name, "template_sha256": m.template_sha256} for m in policy.materials],
    }


def version_of(session: Session, code: str, version: int) -> PolicyVersion | None:
    return session.scalar(
        select(PolicyVersion).where(PolicyVersion.policy_code == code, PolicyVersion.version == version)
    )


def snapshot(session: Session, policy: Policy, published_by: str) -> PolicyVersion:
    """Keep the policy's current guide as its version (once per version)."""
    existing = version_of(session, policy.code, policy.version)
    if existing is not None:
        return existing
    version = PolicyVersion(
        policy_code=policy.code, version=policy.version, content=guide_content(policy), published_by=published_by
    )
    session.add(version)
    session.flush()
    return version
