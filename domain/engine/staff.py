"""StaffDirectory: staff log in to the web UI with their engine account; their groups decide the pages."""

from __future__ import annotations

from dataclasses import dataclass

from domain.engine.client import EngineClient
from domain.organisation import Role, unit_for_group


@dataclass(frozen=True)
class StaffMember:
    user_id: str
    name: str
    groups: tuple[str, ...]

    def has_role(self, *roles: Role) -> bool:
        return any(_role(group) in roles for group in self.groups)

    def department_groups(self) -> list[str]:
        """The groups this member reviews and maintains policies for."""
        return [g for g in self.groups if _role(g) in (Role.DEPARTMENT, Role.FINANCE)]


def _role(group: str) -> Role | None:
    try:
        return unit_for_group(group).role
    except KeyError:
        return None


class StaffLoginFailed(Exception):
    """Wrong user name or password (the engine also throttles repeated failures)."""


class StaffDirectory:
    def __init__(self, service: EngineClient) -> None:
        self.service = service

    def login(self, user_id: str, password: str) -> StaffMember:
        """The member with this engine login, or StaffLoginFailed."""
        answer = self.service.post("/identity/verify", {"username": user_id, "password": password})
        if not answer or not answer.get("authenticated"):
            raise StaffLoginFailed("用户名或密码不正确。")
        groups = self.service.get("/identity/groups", userId=user_id).get("groups", [])
        profile = self.service.get(f"/user/{user_id}/profile")
        name = f"{profile.get('firstName') or ''} {profile.get('lastName') or ''}".strip() or user_id
        return StaffMember(user_id, name, tuple(sorted(g["id"] for g in groups)))
