"""The window's acceptance check (R1, R2): the guide's checklist, closed policies, missing materials.

An application is checked against the 申报指南 version it was filed under, and whether the policy
took applications is judged on the day it was filed: a case started late (the engine was down) never
refuses an application that came in on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from domain.policies.catalogue import version_of
from domain.policies.models import Policy
from domain.policies.services import PolicyService

INVALID_CREDIT_CODE = "有效的统一社会信用代码（所填代码校验不通过，请核对营业执照）"


class PolicyClosed(Exception):
    """The policy did not take applications on the filing day: the case is not accepted (不予受理)."""

    def __init__(self, message: str, policy_name: str) -> None:
        super().__init__(message)
        self.policy_name = policy_name


@dataclass(frozen=True)
class Checklist:
    """What the window checks an application against."""

    policy_name: str
    materials: list[dict] = field(default_factory=list)  # [{"label": name, "value": code}], the form's options
    note: str = ""


@dataclass(frozen=True)
class Guide:
    """The parts of a 申报指南 version that acceptance reads."""

    code: str
    name: str
    start: dt.date | None
    deadline: dt.date | None
    materials: list[tuple[str, str]]  # (code, name)

    @classmethod
    def of(cls, session: Session, policy: Policy, version: int | None) -> Guide:
        """The guide as it stood at ``version`` (its snapshot), else as published now."""
        kept = version_of(session, policy.code, version) if version and version != policy.version else None
        if kept is None:
            materials = [(m.code, m.name) for m in policy.materials]
            return cls(policy.code, policy.name, policy.application_start, policy.application_deadline, materials)
        content = kept.content
        return cls(
            policy.code,
            content["name"],
            _day(content.get("application_start")),
            _day(content.get("application_deadline")),
            [(m["code"], m["name"]) for m in content["materials"]],
        )

    def is_open_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.deadline is None or day <= self.deadline)


def checklist(
    session: Session,
    policy_code: str,
    today: dt.date,
    guide_version: int | None = None,
    filed_on: dt.date | None = None,
) -> Checklist:
    """The guide's materials for the window's check; raise PolicyClosed when it was not open on the filing day.

    A code not in the catalogue is accepted for checking by hand; routing then sends it to the
    window's manual routing.
    """
    policy = PolicyService(session).find_published(policy_code)
    if policy is None:
        return Checklist(
            policy_code,
            [],
            f"政策编码 “{policy_code}” 不在已发布的政策清单中：请对照企业的申请表核对材料，受理后由专窗人工分流。",
        )
    guide = Guide.of(session, policy, guide_version)
    if not guide.is_open_on(filed_on or today):
        raise PolicyClosed(not_open_reason(guide, filed_on or today), guide.name)
    materials = [{"label": name, "value": code} for code, name in guide.materials]
    note = f"请对照《申报指南》逐项核对以下 {len(materials)} 项材料，勾选已收到的材料。"
    return Checklist(guide.name, materials, note)


def missing_items(required: list[dict], provided: list[str] | None, credit_code: str) -> list[str]:
    """Every missing material by name, and an invalid credit code, so one notice names them all (R2)."""
    given = set(provided or [])
    missing = [item["label"] for item in required if item["value"] not in given]
    if not uscc.is_valid(credit_code):
        missing.append(INVALID_CREDIT_CODE)
    return missing


def not_open_reason(guide: Guide, day: dt.date) -> str:
    """Why a policy did not take applications on that day: not yet open, or past its deadline."""
    if guide.start is not None and day < guide.start:
        return f"政策“{guide.name}”（{guide.code}）自 {guide.start:%Y年%m月%d日} 起受理，尚未开始受理。"
    return f"政策“{guide.name}”（{guide.code}）的申报截止日为 {guide.deadline:%Y年%m月%d日}，已截止受理。"


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def refusal(decision: str | None, reason: str | None) -> str | None:
    """The window's 不予受理 as the enterprise reads it, or None when the window accepts (R1, R12).

    The form requires a reason with a refusal; a refusal without one is still a refusal, never a
    silent acceptance, and says that the window gave no reason.
    """
    if decision != "refuse":
        return None
    text = " ".join((reason or "").split())[:500]
    return f"专窗审查不予受理：{text}" if text else "专窗审查不予受理（未填写理由，请向专窗询问）。"
