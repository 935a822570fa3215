"""PolicyEditor: a department drafts, then publishes, its policies and guides (R13), each publish a version."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.policies.catalogue import snapshot
from domain.policies.models import Policy, PolicyDraft, PolicyKind, PolicyLevel, PolicyMaterial

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
FIELDS = (
    "name",
    "kind",
    "level",
    "needs_site_inspection",
    "needs_expert_review",
    "expert_count",
    "application_start",
    "application_deadline",
    "summary",
    "conditions",
    "support_standard",
    "contact",
    "materials",
)


class DraftInvalid(Exception):
    """The draft cannot be saved or published; the message lists every problem."""


class NotYourPolicy(Exception):
    """The policy belongs to another department."""


def check(code: str, content: dict) -> list[str]:
    """Every problem of a draft, in words the department reads."""
    problems = []
    if not CODE.match(code):
        problems.append("政策编码应为 3–32 位大写字母、数字或短横线，例如 KJ-2027-001。")
    if not (content.get("name") or "").strip():
        problems.append("请填写政策名称。")
    if content.get("kind") not in {k.value for k in PolicyKind}:
        problems.append("请选择政策类型。")
    if content.get("level") not in {k.value for k in PolicyLevel}:
        problems.append("请选择兑现层级。")
    if not content.get("materials"):
        problems.append("请至少列出一项申报材料。")
    start, deadline = content.get("application_start"), content.get("application_deadline")
    if start and deadline and deadline < start:
        problems.append("申报截止日不能早于申报开始日。")
    if not 1 <= int(content.get("expert_count") or 3) <= 15:
        problems.append("专家人数应在 1–15 之间。")
    return problems


class PolicyEditor:
    def __init__(self, session: Session, department_group: str, user: str) -> None:
        self.session = session
        self.department_group = department_group
        self.user = user

    def policies(self) -> list[Policy]:
        return list(
            self.session.scalars(
                select(Policy).where(Policy.department_group == self.department_group).order_by(Policy.code)
            )
        )

    def drafts(self) -> list[PolicyDraft]:
        return list(
            self.session.scalars(
                select(PolicyDraft)
                .where(PolicyDraft.department_group == self.department_group)
                .order_by(PolicyDraft.policy_code)
            )
        )

    def draft_for(self, code: str) -> dict:
        """The draft of this policy, else its published content, else an empty new one."""
        draft = self.session.scalar(select(PolicyDraft).where(PolicyDraft.policy_code == code))
        if draft is not None:
            self._own(draft.department_group)
            return dict(draft.content)
        policy = self.session.scalar(select(Policy).where(Policy.code == code))
        if policy is None:
            return {"materials": ["惠企政策兑现申请表", "营业执照副本复印件"], "expert_count": 3}
        self._own(policy.department_group)
        return {name: _plain(getattr(policy, name)) for name in FIELDS if name != "materials"} | {
            "materials": [m.name for m in policy.materials]
        }

    def save_draft(self, code: str, content: dict) -> PolicyDraft:
        if problems := check(code, content):
            raise DraftInvalid("\n".join(problems))
        existing = self.session.scalar(select(Policy).where(Policy.code == code))
        if existing is not None:
            self._own(existing.department_group)
        draft = self.session.scalar(select(PolicyDraft).where(PolicyDraft.policy_code == code))
        if draft is None:
            draft = PolicyDraft(
                policy_code=code, department_group=self.department_group, content={}, updated_by=self.user
            )
            self.session.add(draft)
        self._own(draft.department_group)
        draft.content = {name: content.get(name) for name in FIELDS}
        draft.updated_by = self.user
        self.session.flush()
        return draft

    def publish(self, code: str) -> Policy:
        """Apply the draft to the published policy as its next version; the draft is then gone."""
        draft = self.session.scalar(select(PolicyDraft).where(PolicyDraft.policy_code == code))
        if draft is None:
            raise DraftInvalid(f"政策 {code} 没有待发布的草稿。")
        self._own(draft.department_group)
        content = draft.content
        if problems := check(code, content):
            raise DraftInvalid("\n".join(problems))
        policy = self.session.scalar(select(Policy).where(Policy.code == code))
        if policy is None:
            policy = Policy(code=code, department_group=self.department_group, version=0, materials=[])
            self.session.add(policy)
        policy.name = content["name"].strip()
        policy.kind = PolicyKind(content["kind"])
        policy.level = PolicyLevel(content["level"])
        policy.needs_site_inspection = bool(content.get("needs_site_inspection"))
        policy.needs_expert_review = bool(content.get("needs_expert_review"))
        policy.expert_count = int(content.get("expert_count") or 3)
        policy.application_start = _date(content.get("application_start"))
        policy.application_deadline = _date(content.get("application_deadline"))
        for name in ("summary", "conditions", "support_standard", "contact"):
            setattr(policy, name, (content.get(name) or "").strip())
        self._apply_materials(policy, content["materials"])
        policy.published = True
        policy.version += 1
        policy.updated_at = dt.datetime.now(dt.UTC)
        self.session.delete(draft)
        self.session.flush()
        snapshot(self.session, policy, self.user)
        return policy

    def _apply_materials(self, policy: Policy, names: list[str]) -> None:
        """Materials keep their code by position, so an uploaded template stays with its item."""
        by_code = {m.code: m for m in policy.materials}
        kept = []
        for index, name in enumerate(names, start=1):
            code = f"M{index:02d}"
            material = by_code.get(code) or PolicyMaterial(code=code)
            material.name, material.position = name.strip(), index
            kept.append(material)
        policy.materials = kept

    def _own(self, department_group: str) -> None:
        if department_group != self.department_group:
            raise NotYourPolicy("该政策由其他部门负责。")


def _date(value) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "value", value)
