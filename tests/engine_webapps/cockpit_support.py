"""What the Cockpit plugin's tests share: the webapps' login, the plugin's addresses, a user without READ_HISTORY."""

from __future__ import annotations

import requests

from domain.config import EngineSettings
from domain.engine import EngineClient
from domain.engine.errors import EngineNotFound

PLUGIN = "huiqi-timeliness"
NO_HISTORY_USER = "cockpit-no-history"  # may open Cockpit and read the processes, not their history
NO_HISTORY_PASSWORD = "no-history-password-1"
APPLICATION, PROCESS_DEFINITION = 0, 6  # the engine's resource types


def webapp_base(engine_settings: EngineSettings) -> str:
    """http://host:port of the webapps, from the engine's REST address."""
    return engine_settings.url.removesuffix("/engine-rest")


def plugin_url(base: str, path: str) -> str:
    return f"{base}/camunda/api/cockpit/plugin/{PLUGIN}/default/{path}"


def cockpit_session(base: str, user: str, password: str, app: str = "cockpit") -> requests.Session:
    """A logged-in session of the webapps, as the login page makes it (CSRF token from the first page)."""
    session = requests.Session()
    session.get(f"{base}/camunda/app/{app}/default/", timeout=30)
    answer = session.post(
        f"{base}/camunda/api/admin/auth/user/default/login/{app}",
        data={"username": user, "password": password},
        headers={"X-XSRF-TOKEN": session.cookies.get("XSRF-TOKEN", "")},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return session


def create_no_history_user(admin: EngineClient) -> str:
    """A Cockpit user who may read the process definitions and instances but not their history (no READ_HISTORY)."""
    delete_no_history_user(admin)
    admin.post(
        "/user/create",
        {
            "profile": {"id": NO_HISTORY_USER, "firstName": "无历史权限", "lastName": "测试"},
            "credentials": {"password": NO_HISTORY_PASSWORD},
        },
    )
    for resource_type, resource_id, permissions in (
        (APPLICATION, "cockpit", ["ACCESS"]),
        (PROCESS_DEFINITION, "*", ["READ", "READ_INSTANCE"]),
    ):
        admin.post(
            "/authorization/create",
            {
                "type": 1,
                "userId": NO_HISTORY_USER,
                "resourceType": resource_type,
                "resourceId": resource_id,
                "permissions": permissions,
            },
        )
    return NO_HISTORY_USER


def delete_no_history_user(admin: EngineClient) -> None:
    """Remove the user and its authorizations (the engine keeps a deleted user's authorizations)."""
    for authorization in admin.get("/authorization", userIdIn=NO_HISTORY_USER):
        admin.delete(f"/authorization/{authorization['id']}")
    try:
        admin.get(f"/user/{NO_HISTORY_USER}/profile")
    except EngineNotFound:
        return
    admin.delete(f"/user/{NO_HISTORY_USER}")
