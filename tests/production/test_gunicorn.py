"""The web UI under gunicorn with several processes: sessions and CSRF hold whichever process answers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import requests

from devstack.engine import free_port
from devstack.waiting import wait_for
from domain.config import PROJECT_ROOT
from tests.webui.conftest import PASSWORD, new_credit_code

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_sessions_and_csrf_work_across_gunicorn_processes(database, tmp_path: Path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "HUIQI_VAR_DIR": str(tmp_path),  # the secret key and the sessions, shared by the processes
        "WEBUI_BIND": f"127.0.0.1:{port}",
        "WEBUI_WORKERS": "3",
        "WEBUI_THREADS": "1",
        "WEBUI_SECURE_COOKIES": "false",  # plain http on loopback in this test
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:webui.gunicorn_conf", "webui.wsgi:app"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: up(f"{base}/"), "gunicorn", timeout=60)
        browser = requests.Session()
        code = new_credit_code()
        form = TOKEN.search(browser.get(f"{base}/account/signup", timeout=10).text).group(1)
        signed = browser.post(f"{base}/account/signup", timeout=10, allow_redirects=False, data={
            "csrf_token": form, "credit_code": code, "name": "多进程测试有限公司", "contact_name": "张三",
            "phone": "13800000000", "email": "", "password": PASSWORD, "password_again": PASSWORD,
        })  # fmt: skip
        assert signed.status_code == 302, signed.text
        for _ in range(12):  # three processes, each request to any of them
            assert browser.get(f"{base}/my/applications", timeout=10, allow_redirects=False).status_code == 200
        logout = TOKEN.search(browser.get(f"{base}/", timeout=10).text).group(1)
        assert browser.post(f"{base}/account/logout", data={"csrf_token": logout}, timeout=10).status_code == 200
        assert browser.get(f"{base}/my/applications", timeout=10, allow_redirects=False).status_code == 302
    finally:
        server.terminate()
        server.wait(timeout=30)
