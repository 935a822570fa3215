"""The application database down or refusing at start, or gone while serving (issue 12, "Bad input and faults").

The workers wait with backoff and never exit; the web UI and the operator's commands wait for a database
that is not up yet and stop with one line naming DATABASE_URL when it refuses; a page asked while the
database is gone is a clear 503, never a stack trace. Real PostgreSQL servers, real processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from devstack.engine import free_port
from devstack.postgres import ThrowawayPostgres
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.config import PROJECT_ROOT
from domain.db import Database

pytestmark = pytest.mark.postgres


@pytest.fixture
def server() -> ThrowawayPostgres:
    server = ThrowawayPostgres(PROJECT_ROOT / "var" / f"test-postgres-faults-{uuid.uuid4().hex[:8]}").start()
    yield server
    server.stop()


def env_for(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HUIQI_VAR_DIR": str(tmp_path),
        "CAMUNDA_URL": f"http://127.0.0.1:{free_port()}/engine-rest",  # no engine: not what these tests look at
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_workers_wait_for_a_database_that_comes_up_later(tmp_path: Path):
    port = free_port()
    later = ThrowawayPostgres(PROJECT_ROOT / "var" / f"test-postgres-later-{uuid.uuid4().hex[:8]}", port=port)
    url = later.url("huiqi")
    workers = WorkersProcess(env_for(url, tmp_path, WORKER_RECONNECT_MIN_SECONDS="0.2",
                                     WORKER_RECONNECT_MAX_SECONDS="1"), tmp_path / "workers.log").start()  # fmt: skip
    try:
        wait_for(lambda: "应用数据库无法连接" in workers.log(), "the workers to say the database is down", timeout=60)
        assert later.password not in workers.log()  # the URL is shown without its password
        assert workers.process.poll() is None  # waiting, not exited
        later.start()
        Database(later.create_database("huiqi")).migrate()
        # Past the database, the workers go on to wait for the engine (absent here): the next step.
        wait_for(lambda: "流程引擎" in workers.log().split("应用数据库无法连接")[-1], "the engine wait", timeout=60)
        assert workers.process.poll() is None
    finally:
        assert workers.stop() == 0, workers.log()
        later.stop()


def test_workers_name_the_setting_when_the_password_is_wrong_and_stay_up(server, tmp_path: Path):
    server.create_database("huiqi")
    wrong = server.url("huiqi").replace(server.password, "not-the-password")
    workers = WorkersProcess(env_for(wrong, tmp_path, WORKER_RECONNECT_MAX_SECONDS="1"), tmp_path / "w.log").start()
    try:
        wait_for(lambda: "DATABASE_URL" in workers.log(), "the workers to name the setting", timeout=60)
        assert "拒绝登录" in workers.log() and "用户名和密码" in workers.log()
        assert "Traceback" not in workers.log()
        assert workers.process.poll() is None
    finally:
        assert workers.stop() == 0, workers.log()


def test_the_web_ui_stops_with_one_line_for_a_wrong_password(server, tmp_path: Path):
    server.create_database("huiqi")
    wrong = server.url("huiqi").replace(server.password, "not-the-password")
    result = run([sys.executable, "-m", "webui"], env_for(wrong, tmp_path, WEBUI_PORT=str(free_port())))
    assert result.returncode == 3
    assert "网页服务无法启动：应用数据库拒绝登录：请检查 DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_web_ui_waits_then_gives_up_on_a_database_that_never_comes(tmp_path: Path):
    url = f"postgresql+psycopg://huiqi:secret@127.0.0.1:{free_port()}/huiqi"
    result = run([sys.executable, "-m", "webui"], env_for(url, tmp_path, HUIQI_DB_WAIT_SECONDS="3"))
    assert result.returncode == 3
    assert "秒后重试" in result.stderr  # it waited with backoff first
    assert "放弃" in result.stderr
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_names_a_missing_database(server, tmp_path: Path):
    result = run([sys.executable, "-m", "domain", "migrate"], env_for(server.url("no_such_db"), tmp_path))
    assert result.returncode == 1
    assert "应用数据库“no_such_db”不存在" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_page_asked_while_the_database_is_gone_is_a_clear_503(server, tmp_path: Path, monkeypatch):
    from webui import create_app

    url = server.create_database("huiqi")
    Database(url).migrate()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HUIQI_VAR_DIR", str(tmp_path))
    app = create_app({"TESTING": True})
    try:
        client = app.test_client()
        assert client.get("/policies").status_code == 200
        server.stop(remove=False)
        gone = client.get("/policies")
        assert gone.status_code == 503
        assert gone.headers["Retry-After"] == "30"
        page = gone.get_data(as_text=True)
        assert "服务暂时不可用" in page
        assert "psycopg" not in page and "Traceback" not in page
    finally:
        app.extensions["huiqi"].close()
