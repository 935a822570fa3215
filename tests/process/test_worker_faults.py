"""Workers under faults: an engine that goes away, wrong credentials, SIGTERM.

These tests run their own worker processes; no other worker of the session serves meanwhile.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.config import WorkerSettings
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
        cut_at = time.monotonic()
        wait_for(lambda: worker.log().count("秒后重试") >= 3, "the worker to retry with backoff")
        assert worker.process.poll() is None, "the worker must not exit while the engine is down"

        # The poll that was out at the cut is still held by the engine until its long poll ends: a task made
        # before then is locked to that poll, its answer is lost with the connection, and the task waits for
        # its lock to expire (lock_duration_ms). The case is made once the engine has let that poll go.
        held_until = cut_at + int(worker_env["WORKER_LONG_POLL_MS"]) / 1000 + 1
        wait_for(lambda: time.monotonic() > held_until, "the engine to drop the poll cut off", timeout=30)
        case.start("T-QUAL")  # created while the worker is cut off
        proxy.restore()

        # The worker looks again after its current wait, which has grown while it was cut off (at most
        # WORKER_RECONNECT_MAX_SECONDS, 30 s): the clerk may have to wait that long for the acceptance check.
        case.timeout = WorkerSettings.reconnect_max_seconds + 15
        try:
            case.task("check_completeness", "window-clerk")  # the acceptance check after recovery
        except AssertionError as failure:  # say where the case stands and what the worker did
            tasks = admin.get("/external-task", processInstanceId=case.instance_id)
            raise AssertionError(f"{failure}\nexternal tasks: {tasks}\nworker log:\n{worker.log()[-6000:]}") from None
        log = admin.get("/history/external-task-log", processInstanceId=case.instance_id, successLog="true")
        assert [(entry["activityId"], entry["workerId"]) for entry in log] == [
            ("prepare_acceptance", "proxied-worker"),
            ("open_acceptance_check", "proxied-worker"),
        ]
        assert "Traceback" not in worker.log()
    finally:
        assert worker.stop() == 0
        proxy.cut()


def test_wrong_credentials_are_reported_loudly_and_never_stop_the_workers(worker_env, test_dir):
    env = {**worker_env, "CAMUNDA_USER": "no-such-account", "CAMUNDA_PASSWORD": "wrong"}
    worker = WorkersProcess(env, test_dir / "wrong-credentials.log").start()
    wait_for(lambda: worker.log().count("拒绝了用户 'no-such-account' 的登录") >= 2, "the refusal, twice", timeout=30)
    assert worker.process.poll() is None  # still there, trying again at the longest wait
    assert worker.stop(timeout=15) == 0
    assert "Traceback" not in worker.log()


def test_sigterm_stops_the_workers_cleanly(worker_env, test_dir):
    worker = WorkersProcess(worker_env, test_dir / "sigterm.log").start()
    wait_for(lambda: "开始服务主题" in worker.log(), "the worker to start serving")
    assert worker.stop(timeout=15) == 0
    assert "已停止" in worker.log()
