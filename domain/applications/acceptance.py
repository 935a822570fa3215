"""The window's acceptance check (R1, R2): the guide's checklist, closed policies, missing materials."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from domain.policies.models import Policy
from domain.policies.services import PolicyService

INVALID_CREDIT_CODE = "有效的统一社会信用代码（所填代码校验不通过，请核对营业执照）"


class PolicyClosed(Exception):
    """The policy's application period has ended: the case is not accepted (不予受理)."""

    def __init__(self, message: str, policy_name: str) -> None:
        super().__init__(message)
        self.policy_name = policy_name


@dataclass(frozen=True)
class Checklist:
    """What the window checks an application against."""

    policy_name: str
    materials: list[dict] = field(default_factory=list)  # [{"label": name, "value": code}], the form's options
    note: str = ""


def checklist(session: Session, policy_code: str, today: dt.date) -> Checklist:
    """The guide's materials for the window's check; raise PolicyClosed past the application deadline.

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
    if not policy.is_open_on(today):
        raise PolicyClosed(not_open_reason(policy, today), policy.name)
    materials = [{"label": m.name, "value": m.code} for m in policy.materials]
    note = f"请对照《申报指南》逐项核对以下 {len(materials)} 项材料，勾选已收到的材料。"
    return Checklist(policy.name, materials, note)


def missing_items(required: list[dict], provided: list[str] | None, credit_code: str) -> list[str]:
    """Every missing material by name, and an invalid credit code, so one notice names them all (R2)."""
    given = set(provided or [])
    missing = [item["label"] for item in required if item["value"] not in given]
    if not uscc.is_valid(credit_code):
        missing.append(INVALID_CREDIT_CODE)
    return missing


def not_open_reason(policy: Policy, today: dt.date) -> str:
    """Why a policy does not take applications today: not yet open, or past its deadline."""
    if policy.application_start is not None and today < policy.application_start:
        return f"政策“{policy.name}”（{policy.code}）自 {policy.application_start:%Y年%m月%d日} 起受理，尚未开始受理。"
    return (
        f"政策“{policy.name}”（{policy.code}）的申报截止日为 {policy.application_deadline:%Y年%m月%d日}，已截止受理。"
    )
