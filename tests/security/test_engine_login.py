"""Wrong passwords at the staff webapps' login (published at /camunda/) never keep an account out: the engine's
delay after failed logins is off (application.yaml), so the web UI's and the workers' accounts keep working
while someone guesses (issue 11, item 1). Guessing itself is limited by the proxy (docker/nginx.conf)."""

from __future__ import annotations

import pytest
import requests

from domain.config import EngineSettings
from domain.engine import EngineClient

pytestmark = pytest.mark.engine


def webapp_login(base: str, user: str, password: str) -> int:
    browser = requests.Session()
    browser.get(f"{base}/camunda/app/tasklist/", timeout=10)
    browser.headers["X-XSRF-TOKEN"] = browser.cookies.get("XSRF-TOKEN") or ""
    answer = browser.post(f"{base}/camunda/api/admin/auth/user/default/login/tasklist",
                          data={"username": user, "password": password}, timeout=10)  # fmt: skip
    return answer.status_code


@pytest.mark.parametrize("account", ["service", "worker"])
def test_wrong_passwords_at_the_webapps_login_never_keep_a_technical_account_out(engine_settings: EngineSettings,
                                                                                  account: str):  # fmt: skip
    base = engine_settings.url.removesuffix("/engine-rest")
    user, password = ((engine_settings.user, engine_settings.password) if account == "service"
                      else (engine_settings.worker_user, engine_settings.worker_password))  # fmt: skip
    for attempt in range(8):
        assert webapp_login(base, user, f"wrong-{attempt}") == 401
    client = EngineClient(engine_settings.url, user, password, 10.0)
    try:
        client.check_login()  # at once: no delay, no lock
    finally:
        client.close()
