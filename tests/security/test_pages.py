"""Pages as an attacker reads them: headers, redirects, what templates can reach (issue 11, items 6 and 9)."""

from __future__ import annotations

import logging

import pytest

from domain.notices.channels import LoggingSmsGateway
from domain.notices.models import Notice
from domain.privacy import mask_account, mask_phone
from webui.auth import safe_next


def test_every_page_carries_the_security_headers(client):
    for url in ("/", "/policies", "/account/login", "/staff/login"):
        headers = client.get(url).headers
        assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no script at all
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" in client.get("/", base_url="https://county.example").headers


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\\\\evil.example",
        "\\\\evil.example",
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "/\tevil",
        "/%09/evil.example",
        "/%5Cevil.example",
        "javascript:alert(1)",
    ],
)
def test_the_login_redirect_never_leaves_the_site(target):
    assert safe_next(target, "/home") == "/home"


def test_a_local_path_is_kept():
    assert safe_next("/my/applications/HQ-20260928-0001?x=1", "/home") == "/my/applications/HQ-20260928-0001?x=1"


def test_templates_never_see_the_settings_with_passwords(app):
    with app.test_request_context("/"):
        context = {}
        for processor in app.template_context_processors[None]:
            context.update(processor())
    assert not hasattr(context["settings"], "engine")
    assert not hasattr(context["settings"], "webui_secret_key")


def test_logs_never_carry_a_whole_phone_number(caplog):
    notice = Notice(subject="补正告知", application_number="HQ-1", phone="13812345678")
    with caplog.at_level(logging.INFO, logger="huiqi.delivery"):
        LoggingSmsGateway().send(notice)
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text
    assert mask_account("6228 4800 1234 5678") == "****5678"
    assert mask_phone("") == "****"
