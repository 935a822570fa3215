"""Identity bootstrap: groups, users, authorizations and Tasklist filters, idempotently.

Run as the engine administrator. Authorizations enforce the plan's division of work:
only the window and the service account may start a case (R1, R16); a department member sees
and completes only its own group's tasks (candidate groups, engine default authorizations).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from domain.cases import EXTENSION_PROCESS_KEY, PROCESS_KEY
from domain.engine.client import EngineClient
from domain.engine.errors import EngineNotFound
from domain.organisation import ALL_UNITS, SERVICES, STAFF_ROLES, WORKERS, Role, Unit

log = logging.getLogger(__name__)

GLOBAL, GRANT = 0, 1
ANY = "*"

# Engine resource type numbers (org.camunda.bpm.engine.authorization.Resources).
APPLICATION, USER, GROUP, FILTER, PROCESS_DEFINITION, TASK, PROCESS_INSTANCE, DEPLOYMENT = 0, 1, 2, 5, 6, 7, 8, 9
HISTORIC_TASK, HISTORIC_PROCESS_INSTANCE = 19, 20


@dataclass(frozen=True)
class Grant:
    """Permissions on one resource for one group."""

    resource_type: int
    resource_id: str
    permissions: tuple[str, ...]


def grants_for(unit: Unit) -> list[Grant]:
    """Return what a group may do in the engine, by its role in the process."""
    grants: list[Grant] = []
    if unit.role in STAFF_ROLES:
        grants.append(Grant(APPLICATION, "tasklist", ("ACCESS",)))
        # Read the processes (names, forms, diagram) but never start them, except as below.
        grants.append(Grant(PROCESS_DEFINITION, PROCESS_KEY, ("READ",)))
        grants.append(Grant(PROCESS_DEFINITION, EXTENSION_PROCESS_KEY, ("READ",)))
    if unit.role in (Role.MANAGER, Role.DESIGNER, Role.JOINT_MEETING):
        grants.append(Grant(APPLICATION, "cockpit", ("ACCESS",)))
        grants.append(Grant(PROCESS_DEFINITION, ANY, ("READ", "READ_INSTANCE", "READ_HISTORY", "READ_TASK")))
        grants.append(Grant(PROCESS_INSTANCE, ANY, ("READ",)))
        grants.append(Grant(HISTORIC_PROCESS_INSTANCE, ANY, ("READ",)))
        grants.append(Grant(HISTORIC_TASK, ANY, ("READ",)))
    if unit.role is Role.WINDOW:  # R1, R16: applications enter only through the window
        grants.append(Grant(PROCESS_DEFINITION, PROCESS_KEY, ("READ", "CREATE_INSTANCE")))
        grants.append(Grant(PROCESS_INSTANCE, ANY, ("CREATE",)))
    if unit.role in (Role.DEPARTMENT, Role.FINANCE):  # R11: a department asks for more time
        grants.append(Grant(PROCESS_DEFINITION, EXTENSION_PROCESS_KEY, ("READ", "CREATE_INSTANCE")))
        grants.append(Grant(PROCESS_INSTANCE, ANY, ("CREATE",)))
    if unit.role is Role.DESIGNER:
        grants.append(Grant(DEPLOYMENT, ANY, ("ALL",)))
        grants.append(Grant(PROCESS_DEFINITION, ANY, ("ALL",)))
    if unit is SERVICES:  # the web UI: start cases (R1), deliver their messages, read their progress
        grants += [
            Grant(PROCESS_DEFINITION, ANY, ("READ", "READ_INSTANCE", "UPDATE_INSTANCE", "READ_HISTORY", "READ_TASK")),
            Grant(PROCESS_DEFINITION, PROCESS_KEY, ("READ", "CREATE_INSTANCE")),  # cases only: no extensions
            Grant(PROCESS_INSTANCE, ANY, ("CREATE", "READ", "UPDATE")),
            Grant(TASK, ANY, ("READ",)),
            *_READ_ONLY,
        ]  # fmt: skip
    if unit is WORKERS:  # the workers: external tasks, due dates and timers, comments; no starts
        grants += [
            Grant(PROCESS_DEFINITION, ANY, ("READ", "READ_INSTANCE", "UPDATE_INSTANCE", "READ_HISTORY", "READ_TASK",
                                            "UPDATE_TASK")),
            Grant(PROCESS_INSTANCE, ANY, ("READ", "UPDATE")),
            Grant(TASK, ANY, ("READ", "UPDATE")),
            *_READ_ONLY,
        ]  # fmt: skip
    return grants


# What both technical accounts read; neither deploys, deletes or administers (issue 11, item 2).
_READ_ONLY = (
    Grant(DEPLOYMENT, ANY, ("READ",)),
    Grant(HISTORIC_TASK, ANY, ("READ",)),
    Grant(HISTORIC_PROCESS_INSTANCE, ANY, ("READ",)),
    Grant(USER, ANY, ("READ",)),
    Grant(GROUP, ANY, ("READ",)),
)
SELF_GRANT = ("READ",)  # a technical account on its own user record: read, never update or delete


def group_filter_name(unit: Unit) -> str:
    return f"{unit.name} · 待办"


@dataclass
class BootstrapReport:
    """What the bootstrap created; empty lists on a second run."""

    groups: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [
            f"新建用户组 {len(self.groups)} 个",
            f"用户 {len(self.users)} 个",
            f"授权 {len(self.authorizations)} 条",
            f"任务过滤器 {len(self.filters)} 个",
        ]
        return "身份初始化完成：" + "，".join(parts) + "。"


class IdentityBootstrap:
    """Create or complete the engine's groups, users, authorizations and filters."""

    def __init__(self, admin: EngineClient) -> None:
        self.admin = admin
        self.report = BootstrapReport()

    def run(
        self, service_password: str, demo_password: str | None, worker_password: str | None = None
    ) -> BootstrapReport:
        """Bring the engine's identity up to date; demo users only when demo_password is given."""
        for unit in ALL_UNITS:
            self._ensure_group(unit)
            if unit.role is Role.SERVICE:  # exactly these, nothing left from an earlier, wider grant
                self._ensure_exact_grants(unit.group_id, grants_for(unit))
                continue
            for grant in grants_for(unit):
                self._ensure_grant(unit.group_id, grant)
            if unit.role in STAFF_ROLES and unit.role is not Role.EXPERT:  # experts' tasks are assigned
                self._ensure_group_filter(unit)
        self._ensure_personal_filter()
        self._ensure_user(SERVICES.demo_user, service_password, ("惠企系统", "服务账号"))
        self._set_password(SERVICES.demo_user, service_password)  # the environment's password is the one
        self._ensure_membership(SERVICES.demo_user, SERVICES.group_id)
        self._narrow_user_grants(SERVICES.demo_user)
        if worker_password is not None:
            self._ensure_user(WORKERS.demo_user, worker_password, ("惠企系统", "工作进程"))
            self._set_password(WORKERS.demo_user, worker_password)
            self._ensure_membership(WORKERS.demo_user, WORKERS.group_id)
            self._narrow_user_grants(WORKERS.demo_user)
        if demo_password is not None:
            for unit in ALL_UNITS:
                if unit.role is Role.SERVICE:
                    continue
                for user in unit.demo_users:
                    self._ensure_user(user, demo_password, unit.demo_name)
                    self._ensure_membership(user, unit.group_id)
        return self.report

    def _ensure_group(self, unit: Unit) -> None:
        body = {"id": unit.group_id, "name": unit.name, "type": "WORKFLOW" if unit.role in STAFF_ROLES else "SYSTEM"}
        try:
            self.admin.get(f"/group/{unit.group_id}")
        except EngineNotFound:
            self.admin.post("/group/create", body)
            self.report.groups.append(unit.group_id)
            return
        self.admin.put(f"/group/{unit.group_id}", body)

    def _ensure_user(self, user_id: str, password: str, name: tuple[str, str]) -> None:
        try:
            self.admin.get(f"/user/{user_id}/profile")
            return
        except EngineNotFound:
            pass
        self.admin.post(
            "/user/create",
            {
                "profile": {"id": user_id, "firstName": name[0], "lastName": name[1]},
                "credentials": {"password": password},
            },
        )
        self.report.users.append(user_id)

    def _set_password(self, user_id: str, password: str) -> None:
        """Make the engine's password of this account the given one (the administrator confirms it)."""
        admin_password = self.admin.session.auth[1]
        self.admin.put(
            f"/user/{user_id}/credentials", {"password": password, "authenticatedUserPassword": admin_password}
        )

    def _ensure_membership(self, user_id: str, group_id: str) -> None:
        members = self.admin.get("/user", memberOfGroup=group_id, id=user_id)
        if not members:
            self.admin.put(f"/group/{group_id}/members/{user_id}")

    def _ensure_grant(self, group_id: str, grant: Grant) -> None:
        existing = self.admin.get(
            "/authorization",
            type=GRANT,
            groupIdIn=group_id,
            resourceType=grant.resource_type,
            resourceId=grant.resource_id,
        )
        wanted = set(grant.permissions)
        if existing:
            current = existing[0]
            have = set(current.get("permissions") or [])
            if "ALL" in have or wanted <= have:
                return
            self.admin.put(
                f"/authorization/{current['id']}",
                {**_grant_body(group_id, grant), "permissions": sorted(have | wanted)},
            )
        else:
            self.admin.post("/authorization/create", _grant_body(group_id, grant))
        self.report.authorizations.append(f"{group_id}:{grant.resource_type}:{grant.resource_id}")

    def _ensure_exact_grants(self, group_id: str, grants: list[Grant]) -> None:
        """The group's GRANT authorizations become exactly these: wider ones narrowed, others removed."""
        wanted = {(g.resource_type, g.resource_id): g for g in grants}
        for current in self.admin.get("/authorization", type=GRANT, groupIdIn=group_id):
            key = (current["resourceType"], current["resourceId"])
            grant = wanted.pop(key, None)
            if grant is None:
                self.admin.delete(f"/authorization/{current['id']}")
            elif set(current.get("permissions") or []) != set(grant.permissions):
                self.admin.put(f"/authorization/{current['id']}", _grant_body(group_id, grant))
                self.report.authorizations.append(f"{group_id}:{grant.resource_type}:{grant.resource_id}")
        for grant in wanted.values():
            self.admin.post("/authorization/create", _grant_body(group_id, grant))
            self.report.authorizations.append(f"{group_id}:{grant.resource_type}:{grant.resource_id}")

    def _narrow_user_grants(self, user_id: str) -> None:
        """A technical account's own authorizations become READ on its own user record, nothing else.

        The engine grants every new user ALL (DELETE included) on its own record; a stolen service password
        must not delete or rename the account (issue 11, item 2). Its group grants say what it may do.
        """
        for current in self.admin.get("/authorization", userIdIn=user_id):
            if current["type"] != GRANT:  # a revocation only narrows: left alone (the test names it)
                continue
            own_record = (current["type"], current["resourceType"], current["resourceId"]) == (GRANT, USER, user_id)
            if not own_record:
                self.admin.delete(f"/authorization/{current['id']}")
                self.report.authorizations.append(f"{user_id}:{current['resourceType']}:{current['resourceId']}")
            elif set(current.get("permissions") or []) != set(SELF_GRANT):
                body = {"type": GRANT, "permissions": list(SELF_GRANT), "userId": user_id,
                        "resourceType": USER, "resourceId": user_id}  # fmt: skip
                self.admin.put(f"/authorization/{current['id']}", body)
                self.report.authorizations.append(f"{user_id}:{USER}:{user_id}")

    def _ensure_personal_filter(self) -> None:
        """Tasks assigned to the user (expert reviews, extension results): every staff group reads it."""
        query = {"assigneeExpression": "${currentUser()}", "sorting": [{"sortBy": "dueDate", "sortOrder": "asc"}]}
        filter_id = self._ensure_filter(PERSONAL_FILTER, query, "分配给我本人的任务", priority=20)
        for unit in ALL_UNITS:
            if unit.role in STAFF_ROLES:
                self._ensure_grant(unit.group_id, Grant(FILTER, filter_id, ("READ",)))

    def _ensure_group_filter(self, unit: Unit) -> None:
        query = {
            "candidateGroup": unit.group_id,
            "includeAssignedTasks": True,
            "sorting": [{"sortBy": "dueDate", "sortOrder": "asc"}, {"sortBy": "created", "sortOrder": "asc"}],
        }
        # Priority 0: Tasklist opens the first filter, the group's own tasks.
        filter_id = self._ensure_filter(group_filter_name(unit), query, f"{unit.name}的待办任务", priority=0)
        self._ensure_grant(unit.group_id, Grant(FILTER, filter_id, ("READ",)))

    def _ensure_filter(self, name: str, query: dict, description: str, priority: int) -> str:
        """Create the Tasklist filter of this name, or bring it up to date; return its id."""
        body = {
            "resourceType": "Task",
            "name": name,
            "query": query,
            "properties": {
                "description": description,
                "priority": priority,
                "refresh": True,
                "variables": FILTER_COLUMNS,
            },
        }
        found = self.admin.get("/filter", name=name, resourceType="Task")
        if found:
            self.admin.put(f"/filter/{found[0]['id']}", body)
            return found[0]["id"]
        self.report.filters.append(name)
        return self.admin.post("/filter/create", body)["id"]


PERSONAL_FILTER = "我的待办"
# The variables Tasklist shows on each task of a filter.
FILTER_COLUMNS = [
    {"name": "applicationNumber", "label": "申报编号"},
    {"name": "enterpriseName", "label": "企业名称"},
    {"name": "policyName", "label": "政策"},
]


def _grant_body(group_id: str, grant: Grant) -> dict:
    return {
        "type": GRANT,
        "permissions": list(grant.permissions),
        "groupId": group_id,
        "resourceType": grant.resource_type,
        "resourceId": grant.resource_id,
    }
