"""Refusals as people and the audit trail see them (issue 11, "Bad input and faults"): no engine internals on
any page when the engine is down, and every refused login, rate-limited request and 403 in the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket

import pytest
from sqlalchemy import select

from domain.audit.models import AuditEntry
from domain.engine.staff import StaffLoginFailed
from tests.support.announcements import open_announcement
from tests.webui.conftest import TOKEN, Browser, signed_up

ENGINE_INTERNALS = ("engine-rest", "http://", "huiqi-service", "huiqi-worker", "Connection refused", "127.0.0.1")
FIXED = "系统暂时无法办理，请稍后再试"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def engine_down(monkeypatch):
    """The engine at a port nobody listens on (read by create_app in the ``app`` fixture)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CAMUNDA_URL", f"http://127.0.0.1:{port}/engine-rest")
    monkeypatch.setenv("CAMUNDA_HTTP_RETRIES", "0")


def shows_no_internals(page: str) -> None:
    for text in ENGINE_INTERNALS:
        assert text not in page, text


def entries(database, action: str) -> list[AuditEntry]:
    with database.session_scope() as session:
        found = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
        session.expunge_all()
        return found


def test_staff_login_with_the_engine_down_shows_a_fixed_message(app, caplog):
    answer = Browser(app.test_client()).post("/staff/login", {"user_id": "hrss-reviewer", "password": "secret-1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503 and FIXED in page
    shows_no_internals(page)
    assert "engine-rest" in caplog.text  # the operator still learns why


def test_an_objection_with_the_engine_down_shows_a_fixed_message(app, database):
    link = open_announcement(database, "case-1", "HQ-D")
    answer = Browser(app.test_client()).post(link, {"name": "知情人", "contact": "137", "text": "虚报"})
    page = answer.get_data(as_text=True)
    assert "异议暂时无法提交" in page and FIXED in page
    shows_no_internals(page)


def test_an_application_with_the_engine_down_shows_a_fixed_message(app, database):
    browser, _ = signed_up(app, database, "引擎故障有限公司")
    source = browser.get("/policies/T-QUAL/apply").get_data(as_text=True)
    data = {
        "csrf_token": TOKEN.search(source).group(1),
        "token": re.search(r'name="token" value="([^"]+)"', source).group(1),
        "contact_name": "张三", "phone": "13800000000", "summary": "申请说明",
        **{f"material_{c}": (io.BytesIO(PDF), f"材料{c}.pdf") for c in ("M01", "M02", "M03")},
    }  # fmt: skip
    answer = browser.client.post(
        "/policies/T-QUAL/apply", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    page = answer.get_data(as_text=True)
    assert "暂时无法进入办理流程" in page and "系统暂时无法办理" in page, page
    shows_no_internals(page)


def test_refused_enterprise_logins_and_the_rate_limit_are_audited_without_the_password(app, database):
    _, code = signed_up(app, database, "拒绝留痕有限公司")
    spaced = f"{code[:4]} {code[4:]}"
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.71.0.1"
    answers = [
        Browser(client).post("/account/login", {"credit_code": spaced, "password": "Wrong-Secret-9"}).status_code
        for _ in range(8)
    ]
    assert answers == [401] * 5 + [429] * 3
    refused = [e for e in entries(database, "enterprise.login_refused") if e.target == code]
    assert len(refused) == 5 and {e.address for e in refused} == {"10.71.0.1"}
    limited = [e for e in entries(database, "request.rate_limited") if e.address == "10.71.0.1"]
    assert len(limited) == 1 and limited[0].target == "/account/login"  # a flood is audited once a minute
    for entry in refused + limited:
        assert "Wrong-Secret-9" not in repr(entry.details)


def test_a_refused_staff_login_is_audited_without_the_password(app, database, monkeypatch):
    def refuse(user_id, password):  # the engine's answer for a wrong password (the engine itself is down here)
        raise StaffLoginFailed("用户名或密码不正确。")

    monkeypatch.setattr(app.extensions["huiqi"].staff_directory, "login", refuse)
    answer = Browser(app.test_client()).post("/staff/login", {"user_id": "admin", "password": "Admin-Guess-7"})
    assert answer.status_code == 401
    refused = [e for e in entries(database, "staff.login_refused") if e.target == "admin"]
    assert refused and refused[-1].actor_kind == "public"
    assert "Admin-Guess-7" not in repr(refused[-1].details)


def test_a_403_is_audited_with_who_was_refused(app, database):
    client = app.test_client()
    with client.session_transaction() as session:
        now = dt.datetime.now(dt.UTC).isoformat()
        session["staff"] = {"user_id": "window-clerk-403", "name": "窗口", "groups": ["window"], "checked": now}
    assert client.get("/staff/dashboard").status_code == 403
    refused = [e for e in entries(database, "request.forbidden") if e.actor == "window-clerk-403"]
    assert len(refused) == 1 and refused[0].actor_kind == "staff" and refused[0].target == "/staff/dashboard"
