"""Least privilege (issue 11, item 2): the web UI and the workers act as separate engine accounts, each with
only what its code needs; neither deploys, deletes history or cases, or starts what it has no business
starting. The test lists what each account may do (its own, global and group authorizations) and fails on
anything more."""

from __future__ import annotations

import pytest

from domain.cases import EXTENSION_PROCESS_KEY, PROCESS_KEY
from domain.engine import EngineClient, EngineForbidden
from domain.engine.identity import IdentityBootstrap, grants_for
from domain.organisation import SERVICES, WORKERS

pytestmark = [pytest.mark.engine]

WEB_UI = {
    (6, "*", frozenset({"READ", "READ_INSTANCE", "UPDATE_INSTANCE", "READ_HISTORY", "READ_TASK"})),
    (6, PROCESS_KEY, frozenset({"READ", "CREATE_INSTANCE"})),
    (8, "*", frozenset({"CREATE", "READ", "UPDATE"})),
    (7, "*", frozenset({"READ"})),
}
WORKER = {
    (6, "*", frozenset({"READ", "READ_INSTANCE", "UPDATE_INSTANCE", "READ_HISTORY", "READ_TASK", "UPDATE_TASK"})),
    (8, "*", frozenset({"READ", "UPDATE"})),
    (7, "*", frozenset({"READ", "UPDATE"})),
}
EXTENSION = {"applicationNumber": {"value": "HQ-X"}, "requestedWorkingDays": {"value": 1},
             "extensionReason": {"value": "越权试探"}}  # fmt: skip
APPLICATION = {"enterpriseName": {"value": "越权试探有限公司"}, "creditCode": {"value": "91350100M000100Y43"},
               "policyCode": {"value": "T-DIRECT"}, "contactName": {"value": "张三"},
               "contactPhone": {"value": "13800000000"}}  # fmt: skip
READ_ONLY = {  # deployments, history, users and groups: read, nothing more (written out, not taken from the code)
    (9, "*", frozenset({"READ"})),
    (19, "*", frozenset({"READ"})),
    (20, "*", frozenset({"READ"})),
    (1, "*", frozenset({"READ"})),
    (2, "*", frozenset({"READ"})),
}


Grant = tuple[int, str, frozenset[str]]
OWN_RECORD = {  # the engine gives a new user ALL (DELETE included) on its own record; the bootstrap narrows it
    "huiqi-service": {(1, "huiqi-service", frozenset({"READ"}))},
    "huiqi-worker": {(1, "huiqi-worker", frozenset({"READ"}))},
}


def rows(found: list[dict]) -> set[tuple[int, Grant]]:
    return {(a["type"], (a["resourceType"], a["resourceId"], frozenset(a["permissions"]))) for a in found}


def only_grants(found: list[dict]) -> set[Grant]:
    listed = rows(found)
    assert all(kind == 1 for kind, _ in listed), f"no global or revoking entries here: {sorted(map(str, listed))}"
    return {grant for _, grant in listed}


def granted(admin: EngineClient, group: str) -> set[Grant]:
    return only_grants(admin.get("/authorization", groupIdIn=group))


def what_applies_to(admin: EngineClient, user_id: str) -> dict[str, object]:
    """Everything the engine may grant this account, as the REST API lists it: the account's own (user-level)
    authorizations, the global ones (``*``, every user), and those of each group it belongs to."""
    groups = sorted(g["id"] for g in admin.get("/group", member=user_id))
    return {
        "user": only_grants(admin.get("/authorization", userIdIn=user_id)),
        "global": rows(admin.get("/authorization", type=0)) | rows(admin.get("/authorization", userIdIn="*")),
        "groups": {group: granted(admin, group) for group in groups},
    }


def test_each_account_may_do_exactly_what_its_code_needs(admin):
    assert what_applies_to(admin, "huiqi-service") == {
        "user": OWN_RECORD["huiqi-service"], "global": set(), "groups": {SERVICES.group_id: WEB_UI | READ_ONLY},
    }  # fmt: skip
    assert what_applies_to(admin, "huiqi-worker") == {
        "user": OWN_RECORD["huiqi-worker"], "global": set(), "groups": {WORKERS.group_id: WORKER | READ_ONLY},
    }  # fmt: skip
    for unit in (SERVICES, WORKERS):
        assert all("ALL" not in g.permissions and not any(p.startswith("DELETE") for p in g.permissions)
                   for g in grants_for(unit))  # fmt: skip
    members = {u["id"] for u in admin.get("/user", memberOfGroup=WORKERS.group_id)}
    assert members == {"huiqi-worker"} and not admin.get("/user", memberOfGroup=SERVICES.group_id, id="huiqi-worker")


def test_a_wider_grant_on_an_account_is_narrowed_again_by_the_next_bootstrap(admin, engine_settings):
    """The engine's own ALL on the account's record, or a grant someone added by hand to the account itself,
    is gone after the bootstrap runs again (it runs at every start)."""
    (own,) = [a for a in admin.get("/authorization", userIdIn="huiqi-worker") if a["resourceId"] == "huiqi-worker"]
    admin.put(f"/authorization/{own['id']}", {**own, "permissions": ["ALL"]})
    admin.post("/authorization/create", {"type": 1, "permissions": ["ALL"], "userId": "huiqi-worker",
                                         "resourceType": 9, "resourceId": "*"})  # fmt: skip
    assert what_applies_to(admin, "huiqi-worker")["user"] != OWN_RECORD["huiqi-worker"]
    IdentityBootstrap(admin).run(engine_settings.password, None, engine_settings.worker_password)
    assert what_applies_to(admin, "huiqi-worker")["user"] == OWN_RECORD["huiqi-worker"]
    worker = EngineClient(engine_settings.url, engine_settings.worker_user, engine_settings.worker_password)
    with pytest.raises(EngineForbidden):
        worker.delete("/user/huiqi-worker")
    assert admin.get("/user/huiqi-worker/profile")["id"] == "huiqi-worker"


def test_neither_account_deploys_deletes_or_starts_what_is_not_its_own(admin, service, engine_settings, case):
    worker = EngineClient(engine_settings.url, engine_settings.worker_user, engine_settings.worker_password)
    case.start("T-DIRECT")
    deployment = admin.get("/deployment")[0]["id"]
    for account in (service, worker):
        with pytest.raises(EngineForbidden):
            account.delete(f"/process-instance/{case.instance_id}")
        with pytest.raises(EngineForbidden):
            account.delete(f"/history/process-instance/{case.instance_id}")
        with pytest.raises(EngineForbidden):
            account.delete(f"/deployment/{deployment}")
        with pytest.raises(EngineForbidden):  # a well-formed request: the engine's authorization answers
            account.post(f"/process-definition/key/{EXTENSION_PROCESS_KEY}/start", {"variables": EXTENSION})
    with pytest.raises(EngineForbidden):
        worker.post(f"/process-definition/key/{PROCESS_KEY}/start", {"variables": APPLICATION})
    assert admin.get(f"/process-instance/{case.instance_id}")["id"] == case.instance_id  # nothing was deleted
