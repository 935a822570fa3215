"""Topic prepare_acceptance: load the policy's 申报指南 for the window's completeness check (R1, R2).

A policy past its application deadline → BPMN error ``policy_closed`` (不予受理). A code not in the
catalogue is accepted for checking by hand; routing then sends it to the window's manual routing.
"""

from __future__ import annotations

from domain.applications.numbering import next_application_number
from domain.policies.services import PolicyService
from workers import resources
from workers.task import BusinessError, TaskContext

TOPIC = "prepare_acceptance"


def handle(task: TaskContext) -> dict:
    code = task.var("policyCode")
    today = resources.clock().today()
    with resources.database().session_scope() as session:
        # The web UI starts cases with the number as business key; a case started in Tasklist gets one here.
        number = task.business_key or task.optional("applicationNumber") or next_application_number(session, today)
        policy = PolicyService(session).find_published(code)
        if policy is None:
            return {
                "applicationNumber": number,
                "acceptanceDate": today,
                "policyName": code,
                "requiredMaterials": [],
                "acceptanceNote": f"政策编码 “{code}” 不在已发布的政策清单中：请对照企业的申请表核对材料，"
                "受理后由专窗人工分流。",
            }
        if not policy.is_open_on(today):
            raise BusinessError(
                "policy_closed",
                f"政策“{policy.name}”（{policy.code}）的申报截止日为 {policy.application_deadline:%Y年%m月%d日}，"
                f"已截止受理。",
                {"applicationNumber": number, "policyName": policy.name},
            )
        materials = [{"label": m.name, "value": m.code} for m in policy.materials]
        return {
            "applicationNumber": number,
            "acceptanceDate": today,
            "policyName": policy.name,
            "requiredMaterials": materials,
            "acceptanceNote": f"请对照《申报指南》逐项核对以下 {len(materials)} 项材料，勾选已收到的材料。",
        }
