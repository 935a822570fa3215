"""Topic assess_completeness: the window's refusal (不予受理, with its reason), or every missing material,
so that one notice names them all (R2)."""

from __future__ import annotations

from domain.applications.acceptance import missing_items, refusal
from workers.task import TaskContext

TOPIC = "assess_completeness"


def handle(task: TaskContext) -> dict:
    refused = refusal(task.optional("acceptanceDecision"), task.optional("refusalReason"))
    if refused is not None:  # the window refuses the application; its reason reaches the enterprise (R12)
        return {"acceptanceRefused": True, "acceptanceProblem": refused, "materialsComplete": False}
    missing = missing_items(
        task.optional("requiredMaterials", []), task.optional("providedMaterials"), task.var("creditCode")
    )
    return {"acceptanceRefused": False, "materialsComplete": not missing, "missingMaterials": missing}
