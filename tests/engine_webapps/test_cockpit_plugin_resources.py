"""The Cockpit plugin's resources (issue 13, item 3): the same figures as the engine's REST API, for the Cockpit
user's own session and authorizations. A user without READ_HISTORY is refused with a message that names it; a
malformed period is a 400 in Chinese; nobody logged in gets nothing. Plain HTTP, as Cockpit's page calls them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from devstack.waiting import wait_for
from domain.cases import PROCESS_KEY
from domain.organisation import MANAGERS, WINDOW
from tests.engine_webapps.cockpit_support import (
    NO_HISTORY_PASSWORD,
    PLUGIN,
    cockpit_session,
    create_no_history_user,
    delete_no_history_user,
    plugin_url,
    webapp_base,
)
from tests.support.case import CaseDriver

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


@pytest.fixture(scope="module")
def no_history_user(admin) -> Iterator[str]:
    yield create_no_history_user(admin)
    delete_no_history_user(admin)


@pytest.fixture
def case(admin, service, as_user, counter) -> CaseDriver:
    driver = CaseDriver(admin, service, as_user, counter)
    driver.timeout = 60  # the workers share two cores with the browser tests
    return driver


@pytest.fixture(scope="module")
def manager_session(engine_settings) -> requests.Session:
    return cockpit_session(webapp_base(engine_settings), MANAGERS.demo_user, "demo")


def without_now(figures: dict) -> dict:
    """The figures less the moment they were read at (two reads a moment apart)."""
    return {name: value for name, value in figures.items() if name != "now"}


def test_the_plugin_serves_the_engine_figures_to_the_manager(engine_settings, manager_session, as_user, case):
    case.accept("T-QUAL")  # the department's preliminary review, due in October: overdue now
    case.task("preliminary_review", "industry-reviewer")  # the workers are done with it: the figures stay put
    base = webapp_base(engine_settings)

    def same_answer(params: dict) -> dict | None:
        """The plugin's answer when the engine REST API's, read right after it, is the same (a worker may move
        another case between the two reads: then read both again)."""
        answer = manager_session.get(plugin_url(base, "figures"), params=params, timeout=30)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].startswith("application/json")
        rest = as_user(MANAGERS.demo_user).get("/huiqi/timeliness", **params)
        return answer if without_now(answer.json()) == without_now(rest) else None

    # One class computes them: the plugin's answer is the engine REST API's, for the same user.
    shown = wait_for(lambda: same_answer({}), "the plugin and the REST API to give the same figures")

    industry = next(unit for unit in shown.json()["units"] if unit["group"] == "dept-industry")
    late = [task for task in industry["overdue"] if task["processInstanceId"] == case.instance_id]
    assert [task["applicationNumber"] for task in late] == [case.key]

    month = wait_for(lambda: same_answer({"period": "2026-11"}), "the same figures of the month").json()
    assert month["period"] == "2026-11"


def test_the_steps_by_key_or_by_the_diagram_definition(engine_settings, manager_session, as_user, admin, case):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")  # the workers are done with it: the steps stay put
    base = webapp_base(engine_settings)
    by_key = manager_session.get(plugin_url(base, "steps"), params={"processDefinitionKey": PROCESS_KEY}, timeout=30)
    assert by_key.status_code == 200
    assert by_key.json() == as_user(MANAGERS.demo_user).get("/huiqi/timeliness/steps", processDefinitionKey=PROCESS_KEY)
    steps = {step["activityId"]: step for step in by_key.json()["steps"]}
    assert steps["preliminary_review"]["open"] >= 1
    assert steps["check_completeness"]["finished"] >= 1

    definition = admin.get(f"/process-definition/key/{PROCESS_KEY}")["id"]  # what the diagram knows
    by_id = manager_session.get(plugin_url(base, "steps"), params={"processDefinitionId": definition}, timeout=30)
    assert by_id.status_code == 200 and by_id.json() == by_key.json()


def test_a_malformed_period_is_refused_in_chinese(engine_settings, manager_session):
    answer = manager_session.get(
        plugin_url(webapp_base(engine_settings), "figures"), params={"period": "11/2026"}, timeout=30
    )
    assert answer.status_code == 400
    assert answer.json()["type"] == "InvalidRequestException"
    assert "统计期间" in answer.json()["message"]


def test_a_user_without_read_history_is_refused_with_the_permission_named(engine_settings, no_history_user):
    base = webapp_base(engine_settings)
    session = cockpit_session(base, no_history_user, NO_HISTORY_PASSWORD)
    for path in ("figures", f"steps?processDefinitionKey={PROCESS_KEY}"):
        answer = session.get(plugin_url(base, path), timeout=30)
        assert answer.status_code == 403, path
        assert answer.json()["type"] == "AuthorizationException"
        assert "READ_HISTORY" in answer.json()["message"]
        assert "权限" in answer.json()["message"]


def test_staff_of_tasklist_only_are_refused(engine_settings):
    """The window's clerk is logged in to Tasklist; the plugin's figures are not theirs to read."""
    base = webapp_base(engine_settings)
    session = cockpit_session(base, WINDOW.demo_user, "demo", app="tasklist")
    answer = session.get(plugin_url(base, "figures"), timeout=30)
    assert answer.status_code == 403
    assert "READ_HISTORY" in answer.json()["message"]


def test_nobody_logged_in_gets_no_figures_but_the_page_script_loads(engine_settings):
    base = webapp_base(engine_settings)
    assert requests.get(plugin_url(base, "figures"), timeout=30).status_code == 401
    script = requests.get(f"{base}/camunda/api/cockpit/plugin/{PLUGIN}/static/app/plugin.js", timeout=30)
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "cockpit.dashboard" in script.text
    # Only the plugin's two assets are served, nothing else of the jar.
    other = requests.get(f"{base}/camunda/api/cockpit/plugin/{PLUGIN}/static/application.yaml", timeout=30)
    assert other.status_code in (403, 404)
