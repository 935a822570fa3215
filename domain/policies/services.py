"""PolicyService: look up policies for acceptance, routing and the public guide; keep material templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from domain.organisation import reviewing_groups, unit_for_group
from domain.pdf import sha256
from domain.policies.errors import PolicyMisconfigured, PolicyNotFound
from domain.policies.models import Policy, PolicyMaterial

# What a material's template may be, judged by content: content type → file extension.
TEMPLATE_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
}


class TemplateRejected(Exception):
    """The template file cannot be kept; the message says why."""


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

    def material_template(self, code: str, material: str) -> PolicyMaterial | None:
        """Return the published policy's material with its template file loaded, or None when there is no
        such published policy, no such material, or no template."""
        item = self.session.scalar(
            select(PolicyMaterial)
            .join(Policy)
            .where(Policy.code == code.upper(), Policy.published.is_(True), PolicyMaterial.code == material)
            .options(undefer(PolicyMaterial.template))
        )
        return item if item is not None and item.template is not None else None

    def department_material(self, code: str, department_group: str, material: str) -> PolicyMaterial | None:
        """Return the material of the department's policy with this code, or None (no such material, or the
        policy is another department's)."""
        return self.session.scalar(
            select(PolicyMaterial)
            .join(Policy)
            .where(Policy.code == code, Policy.department_group == department_group, PolicyMaterial.code == material)
        )

    def attach_template(self, item: PolicyMaterial, content: bytes | None, max_bytes: int) -> PolicyMaterial:
        """Keep ``content`` as the material's template and return the material; raise TemplateRejected when
        there is no file, it is larger than ``max_bytes``, or it is not a PDF or Word file (by content)."""
        if content is None:
            raise TemplateRejected("请选择模板文件。")
        if len(content) > max_bytes:
            raise TemplateRejected("模板文件太大。")
        content_type = template_type(content)
        item.template, item.template_sha256 = content, sha256(content)
        item.template_content_type = content_type
        item.template_filename = f"{item.name}{TEMPLATE_TYPES[content_type]}"
        self.session.flush()
        return item


def template_type(content: bytes) -> str:
    """Return the content type of a template file judged by its first bytes, or raise TemplateRejected."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"PK\x03\x04") and b"word/" in content[:4096]:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "application/msword"
    raise TemplateRejected("模板只接受 PDF 或 Word 文件（按文件内容判断）。")
