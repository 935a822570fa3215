"""In a real browser (Playwright driving Debian's headless Chromium): sign up, apply with uploads, and see
the timeline move after the window and a department member complete their tasks through REST."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from devstack.engine import free_port
from tests.support.case import CaseDriver
from tests.webui.conftest import PASSWORD, new_credit_code
from tests.webui.test_applications import PDF

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def site(app):
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(test_dir):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        page.screenshot(path=str(test_dir / "browser-last.png"), full_page=True)
        browser.close()


def test_sign_up_apply_and_follow_the_case(site, page, admin, service, as_user, database):
    code = new_credit_code()
    page.goto(f"{site}/account/signup")
    page.fill("#credit_code", code)
    page.fill("#name", "浏览器测试科技有限公司")
    page.fill("#contact_name", "王五")
    page.fill("#phone", "13600000000")
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(f"{site}/my/applications")

    page.goto(f"{site}/policies/T-QUAL")
    page.click("text=在线申报")
    for material in ("M01", "M02", "M03"):
        page.set_input_files(
            f"#material_{material}", files={"name": f"{material}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_url(f"{site}/my/applications/HQ-*")
    number = page.url.rsplit("/", 1)[1]
    assert "申请已提交" in page.content()

    case = CaseDriver(admin, service, as_user)
    from domain.applications.models import Application

    with database.session_scope() as session:
        case.key = number
        case.instance_id = session.query(Application).filter_by(number=number).one().process_instance_id
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01", "M02", "M03"])
    case.complete(
        "preliminary_review", "industry-reviewer", preliminaryResult="qualified", preliminaryOpinion="符合条件"
    )
    case.task("site_inspection", "industry-reviewer")

    page.reload()
    timeline = page.locator("ol.timeline")
    assert timeline.locator("li.done", has_text="部门初步审查").count() == 1
    assert timeline.locator("li.current", has_text="现场核查").count() == 1
    assert "办理时限 2026-10-30 23:59" in timeline.inner_text()
