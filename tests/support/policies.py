"""Policies the process tests apply for, and the business date they are applied on.

The business date is the Monday before National Day 2026, so that deadlines cross the holiday
(1–7 October) and end on the 调休 Saturday 10 October.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.policies.demo import build_policy
from domain.policies.models import Policy, PolicyKind, PolicyLevel

BUSINESS_DATE = dt.date(2026, 9, 28)
DEADLINE = dt.date(2026, 9, 30)
MATERIALS = ["惠企政策兑现申请表", "营业执照副本复印件", "近两年财务审计报告"]

TEST_POLICIES = (
    dict(
        code="T-QUAL",
        name="测试：县级资质认定（现场核查）",
        department_group="dept-industry",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.COUNTY,
        needs_site_inspection=True,
        application_deadline=DEADLINE,
    ),
    dict(
        code="T-FUND",
        name="测试：县级资金扶持（专家评审）",
        department_group="dept-science",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        needs_expert_review=True,
        expert_count=3,
        application_deadline=DEADLINE,
    ),
    dict(
        code="T-BOTH",
        name="测试：县级资质认定（现场核查与专家评审）",
        department_group="dept-agriculture",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.COUNTY,
        needs_site_inspection=True,
        needs_expert_review=True,
        expert_count=2,
        application_deadline=DEADLINE,
    ),
    dict(
        code="T-HIGHER",
        name="测试：上级兑现",
        department_group="dept-industry",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.HIGHER,
        application_deadline=DEADLINE,
    ),
    dict(
        code="T-HIGHER-FUND",
        name="测试：上级资金（市级核定、县级支付）",
        department_group="dept-commerce",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.HIGHER,
    ),
    dict(
        code="T-DIRECT",
        name="测试：常年受理、直接作出结果",
        department_group="dept-hrss",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
    ),
    dict(
        code="T-DIRECT-QUAL",
        name="测试：常年受理的资质认定（县退役军人事务局）",
        department_group="dept-veterans",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.COUNTY,
    ),
    dict(
        code="T-AUTO",
        name="测试：批量办理的资质认定（县供电公司）",
        department_group="dept-power-supply",
        kind=PolicyKind.QUALIFICATION,
        level=PolicyLevel.COUNTY,
    ),
    dict(
        code="T-CLOSED",
        name="测试：已截止",
        department_group="dept-tax",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        application_deadline=dt.date(2026, 9, 25),
    ),
    dict(
        code="T-FAR",
        name="测试：截止日在日历未知的年份",
        department_group="dept-tax",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        application_deadline=dt.date(2098, 6, 1),
    ),
)

ALL_MATERIALS = ["M01", "M02", "M03"]


def add_test_policies(session: Session) -> None:
    existing = set(session.scalars(select(Policy.code)))
    for values in TEST_POLICIES:
        if values["code"] not in existing:
            session.add(build_policy(materials=MATERIALS, **values))
    session.flush()
