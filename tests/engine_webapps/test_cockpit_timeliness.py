"""Managers in Cockpit (issue 13, items 3 and 6): the manager logs in with a zh-CN browser and reads, on the dashboard,
each unit's figures exactly as the engine computes them for the cases this test created, follows an overdue case to
its instance, and sees the time spent at each step on the process diagram. A user without READ_HISTORY reads why
there is nothing to see; an engine that cannot answer is said so. Playwright drives Debian's headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest

from domain.cases import PROCESS_KEY
from domain.clock import CHINA
from domain.config import PROJECT_ROOT
from domain.organisation import MANAGERS
from tests.engine_webapps.cockpit_support import (
    NO_HISTORY_PASSWORD,
    create_no_history_user,
    delete_no_history_user,
    webapp_base,
)
from tests.support.case import CaseDriver

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
DASHBOARD_PLUGIN = "[data-plugin-id=huiqi-timeliness-dashboard]"
COUNTS = ("received", "open", "finished", "overdueCount", "escalations", "extensions")


@pytest.fixture
def no_history_user(admin) -> Iterator[str]:
    yield create_no_history_user(admin)
    delete_no_history_user(admin)


def new_case(admin, service, as_user, counter) -> CaseDriver:
    case = CaseDriver(admin, service, as_user, counter)
    case.timeout = 60
    return case


def log_in_to_cockpit(page, base: str, user: str, password: str) -> None:
    page.goto(f"{base}/camunda/app/cockpit/default/")
    page.get_by_placeholder("用户名").wait_for()  # the login page in Chinese
    page.fill("input[type=text]", user)
    page.fill("input[type=password]", password)
    page.get_by_role("button", name="登录").click()
    page.locator(DASHBOARD_PLUGIN).wait_for()  # logged in: the dashboard with the plugin


def shown_units(page) -> dict[str, dict]:
    """The plugin's table as the manager reads it: per unit, the text of each column."""
    rows = page.locator(f"{DASHBOARD_PLUGIN} tr[data-unit]")
    return {
        row.get_attribute("data-unit"): {
            cell.get_attribute("data-column"): cell.inner_text().strip() for cell in row.locator("[data-column]").all()
        }
        for row in rows.all()
    }


def shown_stages(page, group: str) -> dict[str, float]:
    cells = page.locator(f"{DASHBOARD_PLUGIN} tr[data-unit='{group}'] li[data-stage]").all()
    return {cell.get_attribute("data-stage"): float(cell.locator("b").inner_text()) for cell in cells}


def assert_page_shows(page, figures: dict) -> None:
    """Every unit's row says what the engine computed: the counts, the on-time rate, the stages."""
    shown = shown_units(page)
    assert list(shown) == [unit["group"] for unit in figures["units"]]  # the county's order
    for unit in figures["units"]:
        row = shown[unit["group"]]
        assert row["unit"] == unit["name"]
        columns = {"overdueCount": "overdue"}
        assert {name: row[columns.get(name, name)] for name in COUNTS} == {name: str(unit[name]) for name in COUNTS}
        if unit["onTimePercent"] is None:
            assert row["onTime"] == "—"
        else:
            assert abs(float(row["onTime"].removesuffix("%")) - unit["onTimePercent"]) <= 0.05
        stages = shown_stages(page, unit["group"])
        assert stages.keys() == unit["workingDaysByStage"].keys()
        assert all(abs(stages[name] - days) <= 0.05 for name, days in unit["workingDaysByStage"].items())


def frame(page, badges: list, zoom_steps: int) -> None:
    """Bring these badges to the middle of the diagram, closer (drag pans the diagram, Ctrl + wheel zooms it)."""
    canvas = page.locator(".djs-container").first.bounding_box()
    centre_x, centre_y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2

    def centre_badges() -> None:
        boxes = [badge.bounding_box() for badge in badges]
        x = sum(box["x"] + box["width"] / 2 for box in boxes) / len(boxes)
        y = sum(box["y"] + box["height"] / 2 for box in boxes) / len(boxes)
        page.mouse.move(centre_x, centre_y)
        page.mouse.down()
        page.mouse.move(2 * centre_x - x, 2 * centre_y - y, steps=10)
        page.mouse.up()
        page.wait_for_timeout(300)

    centre_badges()
    page.keyboard.down("Control")
    for _ in range(zoom_steps):
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(150)
    page.keyboard.up("Control")
    page.wait_for_timeout(300)
    centre_badges()


def by_group(figures: dict) -> dict[str, dict]:
    return {unit["group"]: unit for unit in figures["units"]}


def test_the_manager_reads_each_units_figures_on_the_dashboard(
    browser_page, engine_settings, admin, service, as_user, counter
):
    manager = as_user(MANAGERS.demo_user)
    month = dt.datetime.now(CHINA).strftime("%Y-%m")  # the plugin opens on 本月, on the browser's calendar
    before = by_group(manager.get("/huiqi/timeliness", period=month))

    # Two cases this month: one waits at the industry bureau past its October deadline (the workers count
    # deadlines from 28 September); the other was found ineligible by the HRSS bureau and waits for feedback.
    late = new_case(admin, service, as_user, counter)
    late.accept("T-QUAL")
    late.task("preliminary_review", "industry-reviewer")
    refused = new_case(admin, service, as_user, counter)
    refused.accept("T-DIRECT")
    refused.complete(
        "preliminary_review", "hrss-reviewer", preliminaryResult="ineligible", preliminaryOpinion="不符合申报条件"
    )
    refused.task("confirm_feedback", "window-clerk")

    after_figures = manager.get("/huiqi/timeliness", period=month)
    after = by_group(after_figures)
    change = {
        (group, name): after[group][name] - before[group][name]
        for group in ("window", "dept-industry", "dept-hrss")
        for name in ("received", "open", "overdueCount", "tasksDone")
    }
    assert change[("window", "received")] == 2 and change[("window", "open")] == 2
    assert change[("dept-industry", "received")] == 1 and change[("dept-industry", "open")] == 1
    assert change[("dept-industry", "overdueCount")] == 1
    assert change[("dept-hrss", "received")] == 1 and change[("dept-hrss", "tasksDone")] == 1

    page = browser_page
    base = webapp_base(engine_settings)
    log_in_to_cockpit(page, base, MANAGERS.demo_user, "demo")
    plugin = page.locator(DASHBOARD_PLUGIN)
    plugin.get_by_text("各单位办理时效").wait_for()
    plugin.locator(f".huiqi-tl-figures[data-period='{month}']").wait_for()
    assert plugin.locator("button[data-period=month]").get_attribute("aria-pressed") == "true"
    assert_page_shows(page, after_figures)

    # The late case is listed by its number under its unit, linked to its instance.
    link = plugin.locator("[data-overdue-unit='dept-industry'] a", has_text=late.key)
    assert link.get_attribute("href") == f"#/process-instance/{late.instance_id}/runtime"
    page.set_viewport_size({"width": 1440, "height": 1800})  # the whole table in the picture
    plugin.locator(".huiqi-tl-table").scroll_into_view_if_needed()
    page.locator("section.deprecate").screenshot(path=str(SCREENSHOTS / "cockpit-timeliness-dashboard.png"))
    page.set_viewport_size({"width": 1440, "height": 900})

    # All time: the figures of every case, again as the engine computes them.
    plugin.get_by_role("button", name="全部").click()
    plugin.locator(".huiqi-tl-figures[data-period='all']").wait_for()
    assert_page_shows(page, manager.get("/huiqi/timeliness"))

    link = plugin.locator("[data-overdue-unit='dept-industry'] a", has_text=late.key)
    link.click()
    page.wait_for_url(re.compile(rf"#/process-instance/{late.instance_id}/runtime"))
    page.get_by_text(late.instance_id).first.wait_for()  # Cockpit's own page of that case


def test_the_time_spent_at_each_step_is_on_the_diagram(browser_page, engine_settings, admin, service, as_user, counter):
    case = new_case(admin, service, as_user, counter)
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")
    definition = admin.get(f"/process-definition/key/{PROCESS_KEY}")["id"]
    steps = {
        step["activityId"]: step
        for step in as_user(MANAGERS.demo_user).get("/huiqi/timeliness/steps", processDefinitionKey=PROCESS_KEY)[
            "steps"
        ]
    }

    page = browser_page
    base = webapp_base(engine_settings)
    log_in_to_cockpit(page, base, MANAGERS.demo_user, "demo")
    page.goto(
        f"{base}/camunda/app/cockpit/default/#/process-definition/{definition}/runtime"
        "?detailsTab=huiqi-timeliness-steps-tab"
    )

    # On the diagram: the review waiting now, and the acceptance check with its average in working days.
    review = page.locator(".huiqi-tl-badge[data-activity=preliminary_review]")
    review.wait_for()
    assert f"在办 {steps['preliminary_review']['open']}" in review.inner_text()
    check = page.locator(".huiqi-tl-badge[data-activity=check_completeness]")
    days = re.fullmatch(r"均 ([\d.]+) 个工作日", check.inner_text().strip())
    assert days and abs(float(days[1]) - steps["check_completeness"]["averageWorkingDays"]) <= 0.05
    page.get_by_text("图中蓝色标注：各环节平均用时").wait_for()

    # The tab lists every step with the engine's counts.
    table = page.locator(".huiqi-tl-steps")
    table.wait_for()
    rows = {row.get_attribute("data-activity"): row for row in table.locator("tr[data-activity]").all()}
    assert rows.keys() == steps.keys()
    for activity, step in steps.items():
        assert rows[activity].locator("[data-column=finished]").inner_text() == str(step["finished"])
        assert rows[activity].locator("[data-column=open]").inner_text() == str(step["open"])

    # Close in on acceptance and review for the picture.
    page.set_viewport_size({"width": 1440, "height": 1000})
    frame(page, [check, review], zoom_steps=5)
    page.screenshot(path=str(SCREENSHOTS / "cockpit-step-times.png"))


def test_a_user_without_read_history_is_told_which_permission_is_missing(
    browser_page, engine_settings, no_history_user, admin
):
    page = browser_page
    base = webapp_base(engine_settings)
    log_in_to_cockpit(page, base, no_history_user, NO_HISTORY_PASSWORD)
    problem = page.locator(f"{DASHBOARD_PLUGIN} [data-problem=forbidden]")
    problem.wait_for()
    assert "您没有查看办理时效统计的权限" in problem.inner_text()
    assert "READ_HISTORY" in problem.inner_text()
    assert page.locator(f"{DASHBOARD_PLUGIN} .huiqi-tl-table").count() == 0

    # On the process definition too: a message on the diagram and in the tab, not an empty view.
    definition = admin.get(f"/process-definition/key/{PROCESS_KEY}")["id"]
    page.goto(
        f"{base}/camunda/app/cockpit/default/#/process-definition/{definition}/runtime"
        "?detailsTab=huiqi-timeliness-steps-tab"
    )
    page.locator(".huiqi-tl-diagram-note [data-problem=forbidden]").wait_for()
    assert "READ_HISTORY" in page.locator(".huiqi-tl-tab [data-problem=forbidden]").inner_text()


def test_an_engine_that_cannot_answer_is_said_so(browser_page, engine_settings):
    page = browser_page
    base = webapp_base(engine_settings)
    figures = "**/api/cockpit/plugin/huiqi-timeliness/default/figures*"
    unavailable = {"type": "FiguresUnavailable", "message": "办理时效统计所需的单位与工作日日历尚未部署到流程引擎。"}
    page.route(
        figures, lambda route: route.fulfill(status=503, body=json.dumps(unavailable), content_type="application/json")
    )
    log_in_to_cockpit(page, base, MANAGERS.demo_user, "demo")
    problem = page.locator(f"{DASHBOARD_PLUGIN} [data-problem=unavailable]")
    problem.wait_for()
    assert "办理时效统计暂不可用" in problem.inner_text() and unavailable["message"] in problem.inner_text()

    page.unroute(figures)
    page.route(figures, lambda route: route.abort("connectionrefused"))
    page.locator(DASHBOARD_PLUGIN).get_by_role("button", name="上月").click()
    network = page.locator(f"{DASHBOARD_PLUGIN} [data-problem=network]")
    network.wait_for()
    assert "无法连接流程引擎" in network.inner_text()

    page.unroute(figures)  # the connection is back: 重试 shows the figures
    network.get_by_role("button", name="重试").click()
    page.locator(f"{DASHBOARD_PLUGIN} .huiqi-tl-table").wait_for()
