"""PolicyService: look up policies for acceptance and routing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain.organisation import reviewing_groups, unit_for_group
from domain.policies.errors import PolicyMisconfigured, PolicyNotFound
from domain.policies.models import Policy


@dataclass(frozen=True)
class Routing:
    """Where a case of this policy goes and what it goes through (R3)."""

    policy_code: str
    policy_name: str
    department_group: str
    department_name: str
    kind: str
    level: str
    needs_site_inspection: bool
    needs_expert_review: bool
    application_deadline: dt.date | None


class PolicyService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_published(self, code: str) -> Policy:
        """Return the published policy with this code (materials loaded), or raise PolicyNotFound."""
        normalised = (code or "").strip().upper()
        policy = self.session.scalar(
            select(Policy)
            .where(Policy.code == normalised, Policy.published.is_(True))
            .options(selectinload(Policy.materials))
        )
        if policy is None:
            raise PolicyNotFound(code)
        return policy

    def find_published(self, code: str) -> Policy | None:
        """Return the published policy with this code, or None."""
        try:
            return self.get_published(code)
        except PolicyNotFound:
            return None

    def routing_for(self, code: str) -> Routing:
        """Return where a case of this policy goes, or raise PolicyNotFound / PolicyMisconfigured."""
        policy = self.get_published(code)
        if policy.department_group not in reviewing_groups():
            raise PolicyMisconfigured(
                f"政策 {policy.code} 的负责部门 “{policy.department_group}” 不是已知的部门用户组。"
            )
        return Routing(
            policy_code=policy.code,
            policy_name=policy.name,
            department_group=policy.department_group,
            department_name=unit_for_group(policy.department_group).name,
            kind=policy.kind.value,
            level=policy.level.value,
            needs_site_inspection=policy.needs_site_inspection,
            needs_expert_review=policy.needs_expert_review,
            application_deadline=policy.application_deadline,
        )

    def add(self, policy: Policy) -> Policy:
        self.session.add(policy)
        self.session.flush()
        return policy
