"""StaffDirectory: staff log in to the web UI with their engine account; their groups decide the pages."""

from __future__ import annotations

from dataclasses import dataclass

from domain.engine.client import EngineClient
from domain.engine.errors import EngineNotFound
from domain.organisation import STAFF_ROLES, Role, unit_for_group


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
    """Wrong user name or password, or an account that is not a member of staff (never said which)."""



class StaffDirectory:
    def __init__(self, service: EngineClient) -> None:
        self.service = service

    def login(self, user_id: str, password: str) -> StaffMember:
        """The member of staff with this engine login, or StaffLoginFailed.

        The password is checked by the engine only for a member of a staff group: an unknown id, a
        service account or an administrator is refused before, at the cost of one group look-up, so
        nobody can lock a service account or the administrator out of the engine through the web UI.
        """
        refused = StaffLoginFailed("用户名或密码不正确。")
        if not user_id or len(user_id) > 64 or not password:
            raise refused
        groups = self._staff_groups(user_id)
        if not groups:
            raise refused
        answer = self.service.post("/identity/verify", {"username": user_id, "password": password})
        if not answer or not answer.get("authenticated"):
            raise refused
        return self._member(user_id, groups)

    def current(self, user_id: str) -> StaffMember | None:
        """The member as the engine has them now (groups change), or None when no longer staff."""
        groups = self._staff_groups(user_id)
        return self._member(user_id, groups) if groups else None

    def _staff_groups(self, user_id: str) -> list[dict]:
        """The user's groups if one of them is a staff group, else [] (also for an unknown user)."""
        try:
            groups = self.service.get("/identity/groups", userId=user_id).get("groups", [])
        except EngineNotFound:
            return []
        return groups if any(_role(g["id"]) in STAFF_ROLES for g in groups) else []

    def _member(self, user_id: str, groups: list[dict]) -> StaffMember:
        profile = self.service.get(f"/user/{user_id}/profile")
        name = f"{profile.get('firstName') or ''} {profile.get('lastName') or ''}".strip() or user_id
        return StaffMember(user_id, name, tuple(sorted(g["id"] for g in groups)))
