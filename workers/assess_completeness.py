"""Topic assess_completeness: list every missing material, so that one notice names them all (R2)."""

from __future__ import annotations

from domain.applications.acceptance import missing_items
from workers.task import TaskContext

TOPIC = "assess_completeness"


def handle(task: TaskContext) -> dict:
    missing = missing_items(
        task.optional("requiredMaterials", []), task.optional("providedMaterials"), task.var("creditCode")
    )
    return {"materialsComplete": not missing, "missingMaterials": missing}
