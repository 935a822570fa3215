"""Staff pages: login against the engine's identity; the group decides the pages (R13, R16, R17, R18)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from devstack.stack import DEMO_PASSWORD
from devstack.waiting import wait_for
from domain.applications.models import Application
from domain.audit.models import AuditEntry
from tests.webui.conftest import Browser, new_credit_code
from tests.webui.test_applications import files

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def staff(app, user: str) -> Browser:
    browser = Browser(app.test_client())
    answer = browser.post("/staff/login", {"user_id": user, "password": DEMO_PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser


def test_a_wrong_staff_password_is_refused_politely(app):
    browser = Browser(app.test_client())
    answer = browser.post("/staff/login", {"user_id": "no-such-clerk", "password": "x"})
    assert answer.status_code == 401 and "用户名或密码不正确" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("user", "allowed", "forbidden"),
    [
        ("window-clerk", ["/staff/intake", "/staff/applications"], ["/staff/policies", "/staff/dashboard"]),
        ("science-reviewer", ["/staff/policies"], ["/staff/intake", "/staff/applications", "/staff/dashboard"]),
        ("manager", ["/staff/dashboard", "/staff/dashboard/export.csv"], ["/staff/intake", "/staff/policies"]),
        ("joint-office", ["/staff/dashboard"], ["/staff/intake", "/staff/policies"]),
    ],
)
def test_each_group_sees_its_own_pages(app, user, allowed, forbidden):
    browser = staff(app, user)
    for url in allowed:
        assert browser.get(url).status_code == 200, url
    for url in forbidden:
        assert browser.get(url).status_code == 403, url


def test_enterprises_and_strangers_are_sent_to_the_staff_login(client, enterprise):
    enterprise_browser, _ = enterprise
    for browser in (client, enterprise_browser):
        answer = browser.get("/staff/intake")
        assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]


def test_the_window_files_a_walk_in_application(app, database, admin):
    clerk = staff(app, "window-clerk")
    page = clerk.text("/staff/intake?policy=T-QUAL")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = page.split('name="token" value="')[1].split('"')[0]
    code = new_credit_code()
    answer = clerk.client.post(
        "/staff/intake?policy=T-QUAL",
        data={
            "csrf_token": csrf,
            "token": token,
            "credit_code": code,
            "enterprise_name": "窗口代办有限公司",
            "contact_name": "李四",
            "phone": "13900000000",
            **files(),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    number = answer.headers["Location"].rsplit("/", 1)[1]
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == number))
        assert (application.channel, application.submitted_by) == ("window", "window-clerk")
    variables = admin.get(f"/process-instance/{application.process_instance_id}/variables")
    assert variables["intakeBy"]["value"] == "window-clerk"
    assert number in clerk.text("/staff/applications?q=窗口代办")
    wait_for(lambda: "专窗受理审查" in clerk.text(f"/staff/applications/{number}"), "the acceptance step")


def test_a_department_drafts_and_publishes_versions_and_applications_keep_theirs(app, database, enterprise):
    reviewer = staff(app, "science-reviewer")
    content = {
        "name": "测试：科技创新券",
        "kind": "funding",
        "level": "county",
        "expert_count": "3",
        "summary": "支持企业购买科技服务",
        "conditions": "在本县注册",
        "support_standard": "最高 5 万元",
        "contact": "县科技局 0000",
        "materials": "申请表\n营业执照",
    }
    code = "KJ-TEST-" + new_credit_code()[-6:]
    assert reviewer.post("/staff/policies/new", {"code": code, **content}).status_code == 302
    assert reviewer.get(f"/policies/{code}").status_code == 404  # a draft is not public
    assert reviewer.post(f"/staff/policies/{code}/publish", {}, page="/staff/policies").status_code == 302
    assert "第 1 版" in reviewer.text(f"/policies/{code}")

    browser, _ = enterprise
    from tests.webui.test_applications import post_application

    filed = post_application(browser, code, files(codes=("M01", "M02")))
    number = filed.headers["Location"].rsplit("/", 1)[1]

    changed = {**content, "support_standard": "最高 8 万元", "materials": "申请表\n营业执照\n科技服务合同"}
    reviewer.post(f"/staff/policies/{code}/edit", changed)
    reviewer.post(f"/staff/policies/{code}/publish", {}, page="/staff/policies")
    guide = reviewer.text(f"/policies/{code}")
    assert "第 2 版" in guide and "最高 8 万元" in guide and "科技服务合同" in guide
    # The application filed under version 1 keeps it.
    text = browser.text(f"/my/applications/{number}")
    assert f"/policies/{code}/versions/1" in text and "第 1 版" in text
    assert "最高 5 万元" in browser.text(f"/policies/{code}/versions/1")
    with database.session_scope() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.target == code))]
    assert actions.count("policy.published") == 2 and "policy.draft_saved" in actions


def test_a_department_cannot_edit_another_departments_policy(app):
    reviewer = staff(app, "tax-reviewer")
    assert reviewer.get("/staff/policies/KJ-2026-001/edit").status_code == 404
    answer = reviewer.post("/staff/policies/KJ-2026-001/publish", {}, page="/staff/policies")
    assert answer.status_code in (302, 404)
    assert "第 1 版" in reviewer.text("/policies/KJ-2026-001")


def test_the_dashboard_and_its_csv(app, case):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")
    manager = staff(app, "manager")
    text = manager.text("/staff/dashboard")
    assert "县工信局" in text and "按时办结率" in text and "每月受理件数" in text
    exported = manager.get("/staff/dashboard/export.csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["部门", "受理件数", "在办件数"]
    industry = next(r for r in rows if r[0] == "县工信局")
    assert int(industry[1]) >= 1 and int(industry[2]) >= 1
    banks = next(r for r in rows if r[0] == "县各类银行")  # no case is ever routed to the banks in the tests
    assert banks[1:3] == ["0", "0"]
    assert manager.get("/staff/dashboard?month=2026-13").status_code == 200  # a clear message, not a crash
    assert "格式不正确" in manager.text("/staff/dashboard?month=not-a-month")
