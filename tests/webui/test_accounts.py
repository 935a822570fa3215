"""Enterprise sign-up and login by unified social credit code (python-stdnum) and argon2 password."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.audit.models import AuditEntry
from domain.enterprises.models import Enterprise
from tests.webui.conftest import PASSWORD, new_credit_code


def signup(browser, **overrides):
    data = {
        "credit_code": new_credit_code(),
        "name": "福兴科技有限公司",
        "contact_name": "张三",
        "phone": "13800000000",
        "email": "a@b.example",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **overrides,
    }
    return browser.post("/account/signup", data), data


def test_sign_up_then_log_in(browser, database):
    answer, data = signup(browser)
    assert answer.status_code == 302
    with database.session_scope() as session:
        stored = session.scalar(select(Enterprise).where(Enterprise.credit_code == data["credit_code"]))
        assert stored.password_hash.startswith("$argon2id$")
        assert session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "enterprise.signed_up", AuditEntry.target == data["credit_code"]
            )
        )
    browser.post("/account/logout", page="/")
    assert browser.get("/my/applications").status_code == 302
    answer = browser.post("/account/login", {"credit_code": data["credit_code"], "password": PASSWORD})
    assert answer.status_code == 302
    assert "我的申报" in browser.text("/my/applications")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "91350100M000100Y44"}, "校验位不符"),
        ({"credit_code": "12345"}, "应为 18 位"),
        ({"password": "short1", "password_again": "short1"}, "密码至少 10 位"),
        ({"password": "onlyletterslong", "password_again": "onlyletterslong"}, "同时包含字母和数字"),
        ({"password_again": "different12"}, "两次输入的密码不一致"),
        ({"phone": "abc"}, "联系电话"),
    ],
)
def test_sign_up_names_what_is_wrong(browser, overrides, message):
    answer, _ = signup(browser, **overrides)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)


def test_a_credit_code_registers_once(browser):
    code = new_credit_code()
    signup(browser, credit_code=code)
    browser.post("/account/logout", page="/")
    answer, _ = signup(browser, credit_code=code)
    assert "已注册" in answer.get_data(as_text=True)


def test_a_wrong_password_does_not_say_which_part_was_wrong(browser):
    _, data = signup(browser)
    browser.post("/account/logout", page="/")
    wrong = browser.post("/account/login", {"credit_code": data["credit_code"], "password": "wrong-password1"})
    unknown = browser.post("/account/login", {"credit_code": new_credit_code(), "password": PASSWORD})
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "统一社会信用代码或密码不正确" in answer.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client):
    answer = client.post("/account/login", data={"credit_code": "x", "password": "y"})
    assert answer.status_code == 400
    assert "页面已过期" in answer.get_data(as_text=True)


def test_session_cookie_is_secure_httponly_and_samesite(browser):
    signup(browser)
    cookie = browser.client.get_cookie("session")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"


def test_next_never_leads_to_another_site(browser):
    _, data = signup(browser)
    browser.post("/account/logout", page="/")
    answer = browser.post(
        "/account/login?next=//evil.example/",
        {"credit_code": data["credit_code"], "password": PASSWORD},
        page="/account/login",
    )
    assert answer.headers["Location"] == "/my/applications"
