"""An application number belongs to one case, for ever (issue 9, item 0).

The leak this guards against: a case refused at acceptance gave its number back, the next online
application drew it again, and the first enterprise's 不予受理 letter was served to the second.
"""

from __future__ import annotations

import pytest

from domain.applications.submission import ApplicationService
from tests.support.case import CaseDriver
from tests.webui.conftest import bind
from tests.webui.test_applications import files, post_application
from tests.webui.test_online_cases import number_of
from tests.webui.test_staff import staff

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_a_refused_case_keeps_its_number_and_never_lends_it(enterprise, database, admin, case):
    case.start("T-CLOSED")  # a walk-in at the window for a closed policy: 不予受理
    case.give_feedback()
    refused = case.key
    assert case.variable("outcome") == "not-accepted"
    assert admin.get(f"/history/process-instance/{case.instance_id}")["businessKey"] == refused

    browser, _ = enterprise
    online = number_of(post_application(browser, "T-QUAL", files()))
    assert online != refused
    text = browser.text(f"/my/applications/{online}")
    assert "不予受理" not in text
    assert browser.get(f"/my/applications/{refused}").status_code == 404

    with database.session_scope() as session:  # the walk-in has its application record too
        walk_in = ApplicationService(session).by_number(refused)
        assert (walk_in.process_instance_id, walk_in.channel) == (case.instance_id, "window")


def test_a_business_key_typed_in_tasklist_is_replaced(enterprise, admin, service, as_user):
    browser, _ = enterprise
    online = number_of(post_application(browser, "T-QUAL", files()))
    intruder = CaseDriver(admin, service, as_user)
    intruder.typed_key = online  # the clerk types an existing application's number
    intruder.start("T-QUAL")
    assert intruder.key != online
    assert admin.get(f"/process-instance/{intruder.instance_id}")["businessKey"] == intruder.key
    assert len(admin.get("/history/process-instance", processInstanceBusinessKey=online)) == 1


def test_a_walk_in_started_in_tasklist_appears_in_the_enterprises_account_and_the_window_search(
    enterprise, case, app, database
):
    browser, code = enterprise
    case.accept("T-QUAL", creditCode=code)  # the window takes a walk-in in Tasklist
    assert case.key not in browser.text("/my/applications")  # not before the account is bound (issue 11)
    bind(browser, database, code)
    assert case.key in browser.text("/my/applications")
    assert "专窗受理审查" in browser.text(f"/my/applications/{case.key}")
    window = staff(app, "window-clerk")
    assert case.key in window.text(f"/staff/applications?q={case.key}")
