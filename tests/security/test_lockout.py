"""Nobody can stop the county's service through the staff login (issue 11, item 1)."""

from __future__ import annotations

import pytest

from domain.engine import EngineClient
from tests.webui.conftest import Browser

pytestmark = pytest.mark.engine


def attempt(app, user_id: str, password: str = "wrong-password") -> int:
    return Browser(app.test_client()).post("/staff/login", {"user_id": user_id, "password": password}).status_code


@pytest.mark.parametrize("account", ["huiqi-service", "admin"])
def test_a_flood_of_wrong_logins_never_locks_a_service_account_or_the_administrator(
    app, engine_settings, account
):
    answers = {attempt(app, account) for _ in range(30)}
    assert answers <= {401, 429}
    # The service goes on at once: the web UI never asked the engine to check these passwords.
    EngineClient.as_service(engine_settings).check_login()
    EngineClient.as_admin(engine_settings).check_login()


def test_a_member_of_staff_gets_five_tries_then_the_web_ui_stops_asking_the_engine(app, admin, engine_settings):
    probe = "lockout-probe"
    admin.post("/user/create", {"profile": {"id": probe, "firstName": "测试", "lastName": "账号"},
                                "credentials": {"password": "right-password-123"}})  # fmt: skip
    admin.put(f"/group/dept-tax/members/{probe}")
    try:
        answers = [attempt(app, probe) for _ in range(12)]
        assert answers[:5] == [401] * 5
        assert set(answers[5:]) == {429}  # refused by the web UI: the engine saw five failures only
        page = Browser(app.test_client()).post("/staff/login", {"user_id": probe, "password": "x"})
        assert "操作过于频繁" in page.get_data(as_text=True)
    finally:
        admin.delete(f"/user/{probe}")


def test_unknown_accounts_cost_little_and_are_limited_per_address(app, engine_settings):
    answers = [attempt(app, f"nobody-{n}") for n in range(35)]
    assert answers[:30] == [401] * 30
    assert set(answers[30:]) == {429}
