"""Least privilege (issue 11, item 2): the web UI and the workers act as separate engine accounts, each with
only what its code needs; neither deploys, deletes history or cases, or starts what it has no business
starting. The test lists what each account may do and fails on anything more."""

from __future__ import annotations

import pytest

from domain.cases import EXTENSION_PROCESS_KEY, PROCESS_KEY
from domain.engine import EngineClient, EngineForbidden
from domain.engine.identity import grants_for
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


def granted(admin: EngineClient, group: str) -> set[tuple[int, str, frozenset[str]]]:
    found = admin.get("/authorization", groupIdIn=group)
    assert all(a["type"] == 1 for a in found), "no global or revoking entries for a technical account"
    return {(a["resourceType"], a["resourceId"], frozenset(a["permissions"])) for a in found}


def test_each_account_may_do_exactly_what_its_code_needs(admin):
    assert granted(admin, SERVICES.group_id) == WEB_UI | READ_ONLY
    assert granted(admin, WORKERS.group_id) == WORKER | READ_ONLY
    for unit in (SERVICES, WORKERS):
        assert all("ALL" not in g.permissions and not any(p.startswith("DELETE") for p in g.permissions)
                   for g in grants_for(unit))  # fmt: skip
    members = {u["id"] for u in admin.get("/user", memberOfGroup=WORKERS.group_id)}
    assert members == {"huiqi-worker"} and not admin.get("/user", memberOfGroup=SERVICES.group_id, id="huiqi-worker")


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
