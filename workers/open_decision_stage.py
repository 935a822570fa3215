"""Topic open_decision_stage: deadline of the decision and, for expert review, the expert panel (R6, R7).

Substantive review (on-site inspection and/or expert review) and the decision: 20 working days
after the preliminary review passed (R6); a direct decision: 1 working day (R7, our choice).
Experts are drawn at random from the engine group ``experts`` (专家库).
"""

from __future__ import annotations

import secrets

from domain.deadlines import Deadline, due
from domain.organisation import EXPERTS
from domain.policies.services import PolicyService
from workers import resources
from workers.task import TaskContext

TOPIC = "open_decision_stage"
DEFAULT_PANEL_SIZE = 3


class ExpertPoolTooSmall(Exception):
    """The expert pool has fewer members than the policy's panel needs."""


def handle(task: TaskContext) -> dict:
    substantive = task.var("needsSiteInspection") or task.var("needsExpertReview")
    stage = Deadline.SUBSTANTIVE_REVIEW if substantive else Deadline.DIRECT_DECISION
    variables: dict = {"decisionDue": due(resources.calendar(), stage, resources.clock().today())}
    if task.var("needsExpertReview"):
        variables["expertPanel"] = draw_panel(panel_size(task.var("policyCode")))
    return variables


def panel_size(policy_code: str) -> int:
    with resources.database().session_scope() as session:
        policy = PolicyService(session).find_published(policy_code)
        return policy.expert_count if policy is not None else DEFAULT_PANEL_SIZE


def draw_panel(size: int) -> list[str]:
    pool = [user["id"] for user in resources.engine().get("/user", memberOfGroup=EXPERTS.group_id)]
    if len(pool) < size:
        raise ExpertPoolTooSmall(f"专家库（用户组 {EXPERTS.group_id}）只有 {len(pool)} 人，不足本政策所需的 {size} 人")
    return sorted(secrets.SystemRandom().sample(pool, size))
