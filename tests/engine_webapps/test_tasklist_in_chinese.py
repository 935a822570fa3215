"""Tasklist as the window's clerk sees it (issue 13, item 6): a browser whose language is zh-CN gets the Chinese
interface and the group's own filter, the case in the list by its number, enterprise and policy, and completes the
acceptance check through its form. Playwright drives Debian's headless Chromium against the real engine."""

from __future__ import annotations

import json
import re

import pytest

from devstack.waiting import wait_for
from domain.organisation import WINDOW
from tests.support.case import CaseDriver
from webui import tasklist_by_due_date

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]
POLICY_NAME = "测试：县级资质认定（现场核查）"  # T-QUAL in tests/support/policies.py


def test_the_window_clerk_works_in_chinese_tasklist(browser_page, engine_settings, admin, service, as_user, test_dir):
    case = CaseDriver(admin, service, as_user)
    case.timeout = 60
    case.start("T-QUAL")
    task = case.task("check_completeness", WINDOW.demo_user)
    base = engine_settings.url.removesuffix("/engine-rest")
    page = browser_page

    page.goto(f"{base}/camunda/app/tasklist/default/")
    page.get_by_placeholder("用户名").wait_for()  # the login page in Chinese
    page.fill("input[type=text]", WINDOW.demo_user)
    page.fill("input[type=password]", "demo")
    page.get_by_role("button", name="登录").click()

    # As the web UI links to it: by due date, overdue first. The group's own filter, in Chinese, first; the case in
    # its list by number, enterprise and policy.
    page.get_by_text(f"{WINDOW.name} · 待办").first.wait_for()  # logged in
    # Come in directly, not by the web UI's link: by due date all the same (huiqi/due-date-first.js).
    page.wait_for_function("() => decodeURIComponent(location.hash).includes('\"sortBy\":\"dueDate\"')")
    page.get_by_text("到期日").first.wait_for()  # the list's sorting, shown above it
    page.goto(tasklist_by_due_date(f"{base}/camunda/app/tasklist/"))
    page.get_by_text("到期日").first.wait_for()
    page.get_by_text(f"{WINDOW.name} · 待办").first.wait_for()
    listed = page.locator("li.task", has_text=case.key)
    listed.wait_for()
    assert "福兴科技有限公司" in listed.inner_text()
    assert POLICY_NAME in listed.inner_text()
    page.screenshot(path=str(test_dir / "tasklist-window-clerk.png"))  # as kept in docs/screenshots/

    # Open it, claim it, and complete it through its form as the clerk would.
    listed.click()
    page.get_by_role("button", name="认领").click()
    page.get_by_text("受理：核对材料，缺少的一次性告知补正").click()
    for box in page.locator("input[type=checkbox]").all():
        if not box.is_checked():
            box.check()
    page.get_by_role("button", name="完成").click()

    # The engine took it: the acceptance check is done, by the clerk, and the case went on.
    done = wait_for(
        lambda: [t for t in admin.get("/history/task", taskId=task.id_) if t.get("endTime")], "the completion", 30
    )
    assert done[0]["assignee"] == WINDOW.demo_user
    assert case.variable("acceptanceDecision") == "accept"


def test_a_key_missing_from_zh_json_shows_english_not_the_raw_key(browser_page, engine_settings, test_dir):
    """Issue 13: zh.json served with one visible key removed (as after an engine upgrade that adds a key): the login
    page shows that label in English (angular-translate's fallbackLanguage, config.js fallbackLocale "en") and every
    other one still in Chinese."""
    missing = "PAGE_LOGIN_USERNAME"
    base = engine_settings.url.removesuffix("/engine-rest")
    page = browser_page
    english = page.request.get(f"{base}/camunda/app/tasklist/locales/en.json")  # the webjar's own
    expected = json.loads(english.body().decode("utf-8-sig"))["labels"][missing]
    served: list[str] = []

    def without_the_key(route):
        response = route.fetch()
        locale = json.loads(response.body().decode("utf-8-sig"))
        del locale["labels"][missing]
        served.append(route.request.url)
        route.fulfill(response=response, json=locale)

    page.route(re.compile(r"/app/tasklist/locales/zh\.json"), without_the_key)
    page.goto(f"{base}/camunda/app/tasklist/default/")
    page.get_by_role("button", name="登录").wait_for()  # the page is in Chinese…
    page.get_by_placeholder(expected, exact=True).wait_for()  # …but for the missing label, in English
    page.screenshot(path=str(test_dir / "tasklist-missing-key.png"))
    assert served, "the page did not load zh.json"
    assert page.get_by_placeholder("用户名").count() == 0
    assert missing not in page.content()


def test_the_list_shows_the_case_facts_without_opening_the_case_to_the_group(engine_settings, admin, service, as_user):
    """The number, the enterprise and the policy ride on the task itself (engine/…/TaskListFacts.java): the group
    reads them in its filter's list, while the case's own variables stay closed to it (least privilege)."""
    import requests

    case = CaseDriver(admin, service, as_user)
    case.timeout = 60
    case.start("T-QUAL")
    case.task("check_completeness", WINDOW.demo_user)
    window_filter = next(f for f in admin.get("/filter") if f["name"] == f"{WINDOW.name} · 待办")
    listed = requests.post(
        f"{engine_settings.url}/filter/{window_filter['id']}/list",
        json={}, headers={"Accept": "application/hal+json"}, auth=(WINDOW.demo_user, "demo"), timeout=30,
    ).json()  # fmt: skip
    task = next(t for t in listed["_embedded"]["task"] if t["processInstanceId"] == case.instance_id)
    shown = {v["name"]: v["value"] for v in task["_embedded"]["variable"]}
    assert shown["applicationNumber"] == case.key
    assert shown["enterpriseName"] == "福兴科技有限公司"
    assert shown["policyName"] == POLICY_NAME
    # Of the case's variables (contact phone, payee, opinions…) the group reads only these copies on its task.
    readable = as_user(WINDOW.demo_user).get("/variable-instance", processInstanceIdIn=case.instance_id)
    assert {(v["name"], v["taskId"]) for v in readable} <= {(name, task["id"]) for name in shown}
    assert "contactPhone" in admin.get(f"/process-instance/{case.instance_id}/variables")
