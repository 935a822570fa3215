"""Every page answers, every form carries its CSRF token, and nothing needs JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "webui" / "templates"
PARAMETER_FREE_PAGES = [
    "/",
    "/policies",
    "/announcements",
    "/account/signup",
    "/account/login",
    "/account/bind",
    "/staff/login",
    "/feeds/policies.atom",
    "/feeds/policies.json",
]
LOGIN_PAGES = [
    "/my/applications",
    "/my/notices",
    "/staff/",
    "/staff/intake",
    "/staff/applications",
    "/staff/deliveries",
    "/staff/inbox",
    "/staff/policies",
    "/staff/dashboard",
    "/staff/reports",
    "/staff/reports/yearly",
    "/staff/departments",
]


@pytest.mark.parametrize("url", PARAMETER_FREE_PAGES)
def test_public_pages_answer(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_private_pages_ask_for_a_login(client, url):
    answer = client.get(url)
    assert answer.status_code == 302 and "login" in answer.headers["Location"]


def test_every_route_is_covered_here_or_by_its_own_tests(app):
    covered_elsewhere = {"/static/<path:filename>", "/account/logout", "/staff/logout"}
    covered_elsewhere |= {"/api/callbacks/payment", "/api/callbacks/municipal-result"}  # tests/webui/test_callbacks.py
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    simple = {r for r in rules if "<" not in r}
    assert simple - covered_elsewhere <= set(PARAMETER_FREE_PAGES) | set(LOGIN_PAGES) | {
        "/staff/policies/new",
        "/staff/dashboard/export.csv",
    }


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_post_form_carries_a_csrf_token_and_no_script(template):
    text = template.read_text(encoding="utf-8")
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", text, flags=re.S):
        assert "csrf_token()" in form, form[:80]
    assert "<script" not in text
