"""Fixtures for the web UI: the app on the test database, clients that carry CSRF tokens like a browser."""

from __future__ import annotations

import re
import uuid

import pytest
from flask.testing import FlaskClient

from domain.enterprises.services import EnterpriseService
from webui import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "abc1234567"


class Browser:
    """A test client that fetches a page's CSRF token before posting its form, as a browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        source = self.client.get(page or url)
        match = TOKEN.search(source.get_data(as_text=True))
        assert match, f"no CSRF token on {page or url}"
        return self.client.post(url, data={**(data or {}), "csrf_token": match.group(1)}, **kwargs)

    def text(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)


@pytest.fixture
def app(database, tmp_path, monkeypatch, request):
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("HUIQI_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("HUIQI_BUSINESS_DATE", "2026-09-28")
    if "engine_settings" in request.fixturenames:
        settings = request.getfixturevalue("engine_settings")
        monkeypatch.setenv("CAMUNDA_URL", settings.url)
    app = create_app({"TESTING": True})
    yield app
    app.extensions["huiqi"].close()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app.test_client())


def new_credit_code() -> str:
    """A valid unified social credit code no other test uses."""
    from stdnum.cn import uscc

    body = "91350100" + uuid.uuid4().hex[:9].upper().replace("I", "1").replace("O", "0")
    body = "".join(c if c in "0123456789ABCDEFGHJKLMNPQRTUWXY" else "1" for c in body)
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def enterprise(app, database):
    """A signed-up enterprise: (browser logged in as it, its credit code)."""
    return signed_up(app, database, "福兴科技有限公司")


def signed_up(app, database, name: str) -> tuple[Browser, str]:
    code = new_credit_code()
    with database.session_scope() as session:
        EnterpriseService(session).sign_up(code, name, "张三", "13800000000", "finance@fuxing.example", PASSWORD)
    browser = Browser(app.test_client())
    answer = browser.post("/account/login", {"credit_code": code, "password": PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser, code


def bind(browser: Browser, database, code: str) -> None:
    """Bind the account the browser is logged in as with a binding code the window issued for it (issue 11)."""
    import datetime as dt

    from domain.enterprises import binding

    with database.session_scope() as session:
        plain = binding.issue(session, code, "window-clerk", dt.datetime.now(dt.UTC))
    answer = browser.post("/account/bind", {"credit_code": code, "binding_code": plain}, page="/account/bind")
    assert answer.status_code == 302, answer.get_data(as_text=True)
