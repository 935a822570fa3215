"""What a shared computer, a proxy cache or a planted cookie could give away (issue 11, items 6 and 9): pages of a
logged-in person are never stored, templates cannot reach the settings, login gives the session a new id."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest

from domain.engine.staff import StaffMember
from tests.webui.conftest import PASSWORD, Browser, signed_up


def log_in_staff_directly(client) -> None:
    with client.session_transaction() as session:
        now = dt.datetime.now(dt.UTC).isoformat()
        session["staff"] = {"user_id": "window-clerk", "name": "窗口", "groups": ["window"], "checked": now}


def test_every_page_of_a_logged_in_enterprise_is_never_stored(app, database):
    browser, _ = signed_up(app, database, "不缓存有限公司")
    for url in ("/policies/T-QUAL/apply", "/", "/policies", "/announcements", "/my/applications"):
        assert browser.get(url).headers.get("Cache-Control") == "no-store", url


def test_every_page_of_logged_in_staff_is_never_stored(app):
    client = app.test_client()
    log_in_staff_directly(client)
    for url in ("/", "/policies", "/staff/"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


def test_public_pages_of_a_stranger_may_be_cached(client):
    assert client.get("/policies").headers.get("Cache-Control") != "no-store"
    assert client.get("/account/login").headers.get("Cache-Control") == "no-store"  # a private prefix


@pytest.mark.parametrize("source", ["{{ config }}", "{{ config.SECRET_KEY }}", "{{ config['HUIQI_SETTINGS'] }}"])
def test_templates_cannot_reach_the_config(app, source):
    secret = app.config["SECRET_KEY"]
    settings = app.config["HUIQI_SETTINGS"]
    with app.test_request_context("/"):
        try:
            shown = app.jinja_env.from_string(source).render()
        except jinja2.UndefinedError:
            shown = ""
    assert secret not in shown
    assert settings.engine.password not in shown and "HUIQI_SETTINGS" not in shown


def test_enterprise_login_gives_the_session_a_new_id_and_the_old_id_is_dead(app, database):
    _, code = signed_up(app, database, "会话固定有限公司")
    victim = Browser(app.test_client())
    victim.get("/account/login")
    planted = victim.client.get_cookie("session").value  # the id an attacker saw or planted before login
    answer = victim.post("/account/login", {"credit_code": code, "password": PASSWORD})
    assert answer.status_code == 302
    assert victim.client.get_cookie("session").value != planted
    assert victim.get("/my/applications").status_code == 200
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    answer = attacker.get("/my/applications")
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]


def test_staff_login_gives_the_session_a_new_id_and_the_old_id_is_dead(app, monkeypatch):
    member = StaffMember("window-clerk", "窗口", ("window",))
    monkeypatch.setattr(app.extensions["huiqi"].staff_directory, "login", lambda user_id, password: member)
    victim = Browser(app.test_client())
    victim.get("/staff/login")
    planted = victim.client.get_cookie("session").value
    answer = victim.post("/staff/login", {"user_id": "window-clerk", "password": "right-password"})
    assert answer.status_code == 302
    assert victim.client.get_cookie("session").value != planted
    assert victim.get("/staff/").status_code == 200
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    answer = attacker.get("/staff/")
    assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
