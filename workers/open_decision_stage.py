"""Topic open_decision_stage: deadline of the decision and, for expert review, the expert panel (R6, R7).

Substantive review (on-site inspection and/or expert review) and the decision: 20 working days
after the preliminary review passed (R6); a direct decision: 1 working day (R7, our choice).
Experts are drawn at random from the engine group ``experts`` (专家库).
"""

from __future__ import annotations

from domain.deadlines import Deadline, due
from domain.organisation import EXPERTS
from domain.review.panel import draw_panel, panel_size
from workers import resources
from workers.task import TaskContext

TOPIC = "open_decision_stage"


def handle(task: TaskContext) -> dict:
    substantive = task.var("needsSiteInspection") or task.var("needsExpertReview")
    stage = Deadline.SUBSTANTIVE_REVIEW if substantive else Deadline.DIRECT_DECISION
    variables: dict = {"decisionDue": due(resources.calendar(), stage, resources.clock().today())}
    if task.var("needsExpertReview"):
        with resources.database().session_scope() as session:
            size = panel_size(session, task.var("policyCode"))
        pool = resources.tasks().members_of(EXPERTS.group_id)
        variables["expertPanel"] = draw_panel(pool, size, EXPERTS.group_id)
    return variables
