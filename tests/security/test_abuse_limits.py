"""Abuse limits as an attacker meets them (issue 11, items 1 and 7): one account is one allowance, whatever its
spelling; sign-ups, objections, applications and supplements are counted per address."""

from __future__ import annotations

import pytest

from tests.support.announcements import open_announcement
from tests.webui.conftest import TOKEN, Browser, signed_up


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def token(client, page: str = "/account/login") -> str:
    """The session's CSRF token (one per session, good for every form)."""
    return TOKEN.search(client.get(page).get_data(as_text=True)).group(1)


def spellings(code: str) -> list[str]:
    """What the login accepts for one credit code: spaced, hyphenated, lower-case, padded."""
    return [
        f"{code[:4]} {code[4:8]} {code[8:]}",
        f"{code[:6]}-{code[6:12]}-{code[12:]}",
        code.lower(),
        f"  {code[:9]} {code[9:]}  ",
        f"{code[:2]}-{code[2:]}",
        f"{code[:3]} {code[3:10]}-{code[10:]}",
        code,
    ]


def test_a_new_spelling_of_the_credit_code_earns_no_new_login_allowance(app, database):
    _, code = signed_up(app, database, "拼写限次有限公司")
    answers = []
    for n, spelling in enumerate(spellings(code)):  # a fresh address each time: only the account limit counts
        client = client_at(app, f"10.61.0.{n + 1}")
        answers.append(
            Browser(client).post("/account/login", {"credit_code": spelling, "password": "wrong"}).status_code
        )
    assert answers[:5] == [401] * 5
    assert set(answers[5:]) == {429}


def test_sign_ups_are_limited_per_address(app):
    client = client_at(app, "10.62.0.1")
    csrf = token(client, "/account/signup")
    form = {"csrf_token": csrf, "credit_code": "x", "password": "a1", "password_again": "a2"}
    answers = [client.post("/account/signup", data=form).status_code for _ in range(21)]
    assert answers[:20] == [400] * 20 and answers[20] == 429
    other = client_at(app, "10.62.0.2")
    assert (
        other.post("/account/signup", data={**form, "csrf_token": token(other, "/account/signup")}).status_code == 400
    )


def test_objections_are_limited_per_address(app, database):
    link = open_announcement(database, "no-case", "HQ-L")
    client = client_at(app, "10.63.0.1")
    incomplete = {"csrf_token": token(client, link), "name": "", "contact": "", "text": ""}  # refused at once
    answers = [client.post(link, data=incomplete).status_code for _ in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429


@pytest.mark.parametrize(
    "url", ["/policies/T-QUAL/apply", "/my/applications/HQ-NONE/supplement", "/my/applications/HQ-NONE/start"]
)
def test_applications_supplements_and_resubmits_are_limited_per_address(app, database, url):
    browser, _ = signed_up(app, database, "申报限次有限公司")
    client = browser.client
    client.environ_base["REMOTE_ADDR"] = "10.64.0.1"
    data = {"csrf_token": token(client, "/policies/T-QUAL/apply")}
    answers = [client.post(url, data=data).status_code for _ in range(61)]
    assert 429 not in answers[:60] and answers[60] == 429
