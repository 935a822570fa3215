"""The expert panel of a case (R6): its size from the policy, its members drawn at random from the pool."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence

from sqlalchemy.orm import Session

from domain.policies.services import PolicyService

DEFAULT_PANEL_SIZE = 3  # a policy not in the catalogue (routed by hand) gets the usual three experts


class ExpertPoolTooSmall(Exception):
    """The expert pool has fewer members than the policy's panel needs."""


def panel_size(session: Session, policy_code: str) -> int:
    """How many experts review a case of this policy: the guide's number, else the default."""
    policy = PolicyService(session).find_published(policy_code)
    return policy.expert_count if policy is not None else DEFAULT_PANEL_SIZE


def draw_panel(pool: Sequence[str], size: int, pool_name: str, rng: random.Random | None = None) -> list[str]:
    """Draw ``size`` distinct experts from ``pool`` at random (sorted); raise ExpertPoolTooSmall."""
    if len(set(pool)) < size:
        raise ExpertPoolTooSmall(f"专家库（用户组 {pool_name}）只有 {len(set(pool))} 人，不足本政策所需的 {size} 人")
    chooser = rng or secrets.SystemRandom()
    return sorted(chooser.sample(sorted(set(pool)), size))
