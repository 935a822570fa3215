"""Topic assess_completeness: list every missing material, so that one notice names them all (R2)."""

from __future__ import annotations

from stdnum.cn import uscc

from workers.task import TaskContext

TOPIC = "assess_completeness"
INVALID_CREDIT_CODE = "有效的统一社会信用代码（所填代码校验不通过，请核对营业执照）"


def handle(task: TaskContext) -> dict:
    required = task.optional("requiredMaterials", [])
    provided = set(task.optional("providedMaterials", []) or [])
    missing = [item["label"] for item in required if item["value"] not in provided]
    if not uscc.is_valid(task.var("creditCode")):
        missing.append(INVALID_CREDIT_CODE)
    return {"materialsComplete": not missing, "missingMaterials": missing}
