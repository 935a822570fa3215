"""Sessions end when they should: at logout (a copied cookie stops working), when staff leave their group."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.webui.conftest import Browser, signed_up


def session_cookie(browser: Browser) -> str:
    return browser.client.get_cookie("session").value


def test_a_cookie_copied_before_logout_no_longer_works(app, database):
    browser, _ = signed_up(app, database, "会话测试有限公司")
    stolen = session_cookie(browser)
    assert browser.get("/my/applications").status_code == 200
    browser.post("/account/logout", page="/")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    answer = thief.get("/my/applications")
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]


def test_an_idle_session_expires(app, database, monkeypatch):
    """WEBUI_IDLE_MINUTES (30) of no request ends the session on the server; each request renews it."""
    assert app.permanent_session_lifetime == dt.timedelta(minutes=30)
    browser, _ = signed_up(app, database, "空闲会话测试有限公司")
    started = time.time()
    clock = {"now": started}
    monkeypatch.setattr("cachelib.file.time", lambda: clock["now"])  # the session store's clock

    clock["now"] = started + 25 * 60  # 25 minutes idle: still signed in, and the request renews the session
    assert browser.get("/my/applications").status_code == 200
    clock["now"] = started + 50 * 60  # 25 more minutes since the last request: still within 30
    assert browser.get("/my/applications").status_code == 200
    clock["now"] = started + 81 * 60  # 31 minutes since the last request: gone
    answer = browser.get("/my/applications")
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]


@pytest.mark.engine
def test_staff_who_leave_their_group_lose_its_pages_within_minutes(app, admin, engine_settings, monkeypatch):
    probe = "leaver-probe"
    admin.post("/user/create", {"profile": {"id": probe, "firstName": "离岗", "lastName": "测试"},
                                "credentials": {"password": "right-password-123"}})  # fmt: skip
    admin.put(f"/group/window/members/{probe}")
    try:
        member = Browser(app.test_client())
        answer = member.post("/staff/login", {"user_id": probe, "password": "right-password-123"})
        assert answer.status_code == 302
        assert member.get("/staff/intake").status_code == 200
        admin.delete(f"/group/window/members/{probe}")
        monkeypatch.setattr("webui.auth.STAFF_RECHECK", dt.timedelta(0))  # "a few minutes" have passed
        answer = member.get("/staff/intake")
        assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
    finally:
        admin.delete(f"/user/{probe}")
