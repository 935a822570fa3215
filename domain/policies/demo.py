"""Demonstration policies for the embedded setup (one per kind of path), with their 申报指南 materials.

Their departments' demo contacts (R14, domain/departments/demo.py) are seeded with them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.departments.demo import seed_demo_contacts
from domain.pdf import html_to_pdf, sha256
from domain.policies.catalogue import snapshot
from domain.policies.models import Policy, PolicyKind, PolicyLevel, PolicyMaterial
from domain.templating import render

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


GUIDES = {
    "KJ-2026-001": dict(
        summary="对当年新认定的国家高新技术企业给予一次性奖励。",
        conditions="1. 在本县注册并纳税的企业；\n2. 当年通过国家高新技术企业认定；\n3. 近三年无重大安全、环保事故。",
        support_standard="一次性奖励 20 万元。",
        contact="县科技局高新股，0000-1234567",
    ),
    "GX-2026-001": dict(
        summary="认定一批专业化、精细化、特色化、新颖化的县级中小企业。",
        conditions=(
            "1. 在本县注册一年以上的中小企业；\n2. 主导产品在细分市场具有竞争优势；\n3. 上年度营业收入 1000 万元以上。"
        ),
        support_standard="认定后授予“县级专精特新中小企业”称号，优先推荐申报省级。",
        contact="县工信局中小企业股，0000-1234568",
    ),
    "GX-2026-002": dict(
        summary="推荐本县企业申报省级技术创新示范企业，由省、市主管部门认定。",
        conditions="1. 县级专精特新企业；\n2. 设有研发机构；\n3. 研发投入占营业收入 3% 以上。",
        support_standard="由省级主管部门认定并兑现。",
        contact="县工信局技术股，0000-1234569",
    ),
    "RS-2026-001": dict(
        summary="对吸纳就业困难人员、高校毕业生就业的企业给予社会保险补贴。",
        conditions="1. 与新招用人员签订一年以上劳动合同；\n2. 按规定为其缴纳社会保险费。",
        support_standard="按企业实际缴纳的社会保险费给予补贴，最长 3 年。",
        contact="县就业服务中心，0000-1234570",
    ),
    "SW-2026-001": dict(
        summary="鼓励外贸企业扩大出口。",
        conditions="1. 在本县注册的外贸企业；\n2. 当年出口额较上年增长。",
        support_standard="按出口增量每美元奖励 0.01 元，单个企业最高 50 万元。",
        contact="县商务局外贸股，0000-1234571",
    ),
    "NY-2026-001": dict(
        summary="认定县级农业产业化龙头企业。",
        conditions="1. 以农产品生产、加工或流通为主业；\n2. 带动农户 200 户以上；\n3. 资产负债率低于 60%。",
        support_standard="认定后授予“县级农业产业化龙头企业”称号，享受相关扶持政策。",
        contact="县农业农村局经管股，0000-1234572",
    ),
}


def build_policy(materials: list[str], **values) -> Policy:
    """A Policy with its numbered list of materials."""
    policy = Policy(**values)
    policy.materials = [
        PolicyMaterial(code=f"M{index:02d}", name=name, position=index) for index, name in enumerate(materials, start=1)
    ]
    return policy


def seed_demo_policies(session: Session) -> list[str]:
    """Add the demonstration policies that are missing, with their guide v1; return the codes added.

    The demo departments' contacts that are missing are recorded too (development only: production refuses
    demo data).
    """
    seed_demo_contacts(session)
    existing = set(session.scalars(select(Policy.code)))
    added = []
    template = None
    for values in DEMO_POLICIES:
        if values["code"] in existing:
            continue
        policy = build_policy(**values, **GUIDES.get(values["code"], {}))
        template = template or application_form_template()
        first = policy.materials[0]
        first.template, first.template_sha256 = template, sha256(template)
        first.template_filename, first.template_content_type = "惠企政策兑现申请表.pdf", "application/pdf"
        session.add(policy)
        session.flush()
        snapshot(session, policy, "system")
        added.append(values["code"])
    return added


def application_form_template() -> bytes:
    """The blank application form, as PDF."""
    return html_to_pdf(render("documents/application_form.html", title="惠企政策兑现申请表"))
