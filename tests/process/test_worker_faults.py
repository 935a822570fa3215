"""Workers under faults: an engine that goes away, wrong credentials, SIGTERM.

These tests run their own worker processes; no other worker of the session serves meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.config import PROJECT_ROOT
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.engine


def test_workers_wait_for_an_engine_that_is_down_and_resume(case, admin, worker_env, test_dir):
    engine = urlsplit(worker_env["CAMUNDA_URL"])
    proxy = TcpProxy(engine.hostname, engine.port).start()
    proxied_url = f"http://127.0.0.1:{proxy.port}{engine.path}"
    worker = WorkersProcess(
        {**worker_env, "CAMUNDA_URL": proxied_url, "WORKER_ID": "proxied-worker"}, test_dir / "proxied.log"
    ).start()
    try:
        wait_for(lambda: "开始服务主题" in worker.log(), "the worker to start serving")
        proxy.cut()
        wait_for(lambda: worker.log().count("秒后重试") >= 3, "the worker to retry with backoff")
        assert worker.process.poll() is None, "the worker must not exit while the engine is down"

        case.start("T-QUAL")  # created while the worker is cut off
        proxy.restore()

        case.task("check_completeness", "window-clerk")  # the acceptance check after recovery
        log = admin.get("/history/external-task-log", processInstanceId=case.instance_id, successLog="true")
        assert [(entry["activityId"], entry["workerId"]) for entry in log] == [("prepare_acceptance", "proxied-worker")]
        assert "Traceback" not in worker.log()
    finally:
        assert worker.stop() == 0
        proxy.cut()


def test_wrong_credentials_stop_the_workers_with_a_clear_message(worker_env, test_dir):
    result = subprocess.run(
        [sys.executable, "-m", "workers"],
        cwd=PROJECT_ROOT,
        # An unknown account: a wrong password for a real one would make the engine delay (and
        # after 10 failures lock) that account's logins, which is exactly what workers must avoid.
        env={**os.environ, **worker_env, "CAMUNDA_USER": "no-such-account", "CAMUNDA_PASSWORD": "wrong"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "拒绝了用户 'no-such-account' 的登录" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_sigterm_stops_the_workers_cleanly(worker_env, test_dir):
    worker = WorkersProcess(worker_env, test_dir / "sigterm.log").start()
    wait_for(lambda: "开始服务主题" in worker.log(), "the worker to start serving")
    assert worker.stop(timeout=15) == 0
    assert "已停止" in worker.log()
