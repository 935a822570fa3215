"""A task takes exactly the fields of its own form: no forged routing, money or read-only facts (issue 11, item 4)."""

from __future__ import annotations

import uuid

import pytest

from domain.cases import PROCESS_KEY
from domain.engine import EngineForbidden, EngineRequestError

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_a_field_that_is_not_on_the_form_is_refused_by_name(case, as_user, test_dir):
    case.start("T-QUAL")
    task = case.task("check_completeness", "window-clerk")
    clerk = as_user("window-clerk")
    with pytest.raises(EngineRequestError, match="表单中没有字段 “departmentGroup”") as refused:
        clerk.post(f"/task/{task.id_}/complete", {"variables": {
            "providedMaterials": {"value": "[]", "type": "Json"},
            "departmentGroup": {"value": "dept-tax"},  # route the case elsewhere
        }})  # fmt: skip
    assert refused.value.status == 400
    assert case.task("check_completeness", "window-clerk").id_ == task.id_  # nothing happened
    engine_log = test_dir / "engine.log"  # the engine under test (devstack/engine_under_test.py)
    if engine_log.exists():  # the refusal, with who asked, is in the engine's log (issue 11)
        assert f"表单字段守卫拒绝：用户 window-clerk POST /engine-rest/task/{task.id_}/complete → 400" in (
            engine_log.read_text(encoding="utf-8", errors="replace")
        )


def test_a_read_only_field_keeps_its_value(case, as_user):
    case.start("T-QUAL")
    task = case.task("check_completeness", "window-clerk")
    clerk = as_user("window-clerk")
    with pytest.raises(EngineRequestError, match="字段 “enterpriseName” 只读"):
        clerk.post(f"/task/{task.id_}/submit-form", {"variables": {"enterpriseName": {"value": "另一家公司"}}})


def test_nobody_sets_a_tasks_variables_directly(case, as_user):
    case.start("T-QUAL")
    task = case.task("check_completeness", "window-clerk")
    with pytest.raises(EngineForbidden, match="不能直接修改任务的流程变量"):
        as_user("window-clerk").put(f"/task/{task.id_}/variables/payeeAccount", {"value": "6222000000000000"})


def test_a_start_takes_only_the_start_forms_fields(as_user):
    from domain.cases import PROCESS_KEY

    with pytest.raises(EngineRequestError, match="表单中没有字段 “departmentGroup”"):
        as_user("window-clerk").post(f"/process-definition/key/{PROCESS_KEY}/start", {"variables": {
            "policyCode": {"value": "T-QUAL"}, "departmentGroup": {"value": "dept-tax"},
        }})  # fmt: skip


def tasklist_session(base: str, user: str):
    """Log in to Tasklist as a browser does (its own session and CSRF token)."""
    import requests

    from devstack.stack import DEMO_PASSWORD

    browser = requests.Session()
    browser.get(f"{base}/camunda/app/tasklist/", timeout=10)
    token = browser.cookies.get("XSRF-TOKEN")
    browser.headers["X-XSRF-TOKEN"] = token or ""
    answer = browser.post(
        f"{base}/camunda/api/admin/auth/user/default/login/tasklist",
        data={"username": user, "password": DEMO_PASSWORD},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    # The login renews the session and its CSRF token: the next page hands out the new one.
    browser.get(f"{base}/camunda/app/tasklist/", timeout=10)
    browser.headers["X-XSRF-TOKEN"] = browser.cookies.get("XSRF-TOKEN") or ""
    return browser


def test_tasklist_itself_is_held_to_the_form(case, engine_settings):
    case.start("T-QUAL")
    task = case.task("check_completeness", "window-clerk")
    base = engine_settings.url.removesuffix("/engine-rest")
    tasklist = tasklist_session(base, "window-clerk")
    url = f"{base}/camunda/api/engine/engine/default/task/{task.id_}/submit-form"
    forged = tasklist.post(url, json={"variables": {"departmentGroup": {"value": "dept-tax"}}}, timeout=10)
    assert forged.status_code == 400 and "departmentGroup" in forged.json()["message"]
    honest = tasklist.post(url, json={"variables": {"providedMaterials": {"value": "[]", "type": "Json"}}}, timeout=10)
    assert honest.status_code == 204, honest.text


def test_a_second_identical_start_is_refused_not_a_second_case(as_user, admin):
    """Issue 9, item 0: a double click in Tasklist's start dialog (or a retried request) opens one case."""
    clerk = as_user("window-clerk")
    summary = f"重复提交 {uuid.uuid4().hex[:8]}"
    body = {"businessKey": "HQ-DOUBLE", "variables": {
        "enterpriseName": {"value": "重复点击有限公司"}, "creditCode": {"value": "91350100M000100Y43"},
        "contactName": {"value": "张三"}, "contactPhone": {"value": "13800000000"},
        "applicationSummary": {"value": summary}, "policyCode": {"value": "T-DIRECT"},
    }}  # fmt: skip
    first = clerk.post(f"/process-definition/key/{PROCESS_KEY}/start", body)
    with pytest.raises(EngineRequestError, match="相同的申请刚刚已经提交") as refused:
        clerk.post(f"/process-definition/key/{PROCESS_KEY}/start", body)
    assert refused.value.status == 409
    summaries = admin.get("/history/variable-instance", variableName="applicationSummary", maxResults=2000)
    assert [v["processInstanceId"] for v in summaries if v["value"] == summary] == [first["id"]]


@pytest.mark.parametrize("spelling", ["%63omplete", "complete;x=1", "complete/", "/complete"])
def test_another_spelling_of_the_completion_is_held_to_the_form_too(case, as_user, spelling):
    """The REST API routes an encoded letter, a path parameter or a stray slash to the same completion: the guard
    reads the path as the API routes it, not as it was typed (issue 11)."""
    case.start("T-QUAL")
    task = case.task("check_completeness", "window-clerk")
    clerk = as_user("window-clerk")
    path = f"/task/{task.id_}/{spelling}"
    with pytest.raises(EngineRequestError) as refused:
        clerk.post(path, {"variables": {
            "providedMaterials": {"value": "[]", "type": "Json"},
            "departmentGroup": {"value": "dept-tax"},  # route the case elsewhere
        }})  # fmt: skip
    assert refused.value.status in (400, 404), refused.value  # held to the form, or no such route
    assert case.task("check_completeness", "window-clerk").id_ == task.id_  # nothing happened
    assert case.variable("departmentGroup") != "dept-tax"
