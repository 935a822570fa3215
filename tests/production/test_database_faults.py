"""The application database down or refusing at start, or gone while serving (issue 12, "Bad input and faults").

The workers wait with backoff and never exit; the web UI and the operator's commands wait for a database
that is not up yet and stop with one line naming DATABASE_URL when it refuses; under gunicorn the master waits,
before any worker is forked, so that no worker outlives its timeout waiting; a page asked while the
database is gone is a clear 503, never a stack trace. Real PostgreSQL servers, real processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

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


def test_workers_name_a_missing_database_and_go_on_once_it_is_created(server, tmp_path: Path):
    workers = WorkersProcess(env_for(server.url("huiqi_later"), tmp_path, WORKER_RECONNECT_MAX_SECONDS="1"),
                             tmp_path / "w.log").start()  # fmt: skip
    try:
        wait_for(lambda: "DATABASE_URL" in workers.log(), "the workers to name the setting", timeout=60)
        line = next(line for line in workers.log().splitlines() if "DATABASE_URL" in line)
        assert "应用数据库“huiqi_later”不存在：请先创建它，或改正 DATABASE_URL" in line
        assert server.password not in workers.log() and "Traceback" not in workers.log()
        assert workers.process.poll() is None
        Database(server.create_database("huiqi_later")).migrate()
        wait_for(lambda: "流程引擎" in workers.log().split("不存在")[-1], "the workers to go on", timeout=60)
    finally:
        assert workers.stop() == 0, workers.log()


GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:webui.gunicorn_conf", "webui.wsgi:app"]


def gunicorn_env(database_url: str, tmp_path: Path, port: int) -> dict[str, str]:
    return env_for(database_url, tmp_path, WEBUI_BIND=f"127.0.0.1:{port}", WEBUI_WORKERS="2", WEBUI_THREADS="1",
                   WEBUI_TIMEOUT_SECONDS="2")  # fmt: skip  # a worker waiting longer than this would be killed


def serves(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_gunicorn_waits_in_its_master_for_a_database_that_comes_up_later(tmp_path: Path):
    """G11: the wait outlasts the workers' timeout, and no worker is forked (nor killed) before the database answers."""
    later = ThrowawayPostgres(PROJECT_ROOT / "var" / f"test-postgres-later-{uuid.uuid4().hex[:8]}", port=free_port())
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    # "postgres" exists as soon as the server answers ("huiqi" would be a missing database for a moment).
    with log_path.open("wb") as log:
        server = subprocess.Popen(GUNICORN, cwd=PROJECT_ROOT, env=gunicorn_env(later.url("postgres"), tmp_path, port),
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip

    def output() -> str:
        return log_path.read_text(encoding="utf-8")

    try:
        # 1 + 2 s of backoff said, the third wait begun: longer than the 2 s timeout.
        wait_for(lambda: output().count("秒后重试") >= 3, "gunicorn's master to wait", timeout=60)
        assert "Booting worker" not in output() and server.poll() is None
        later.start()
        Database(later.url("postgres")).migrate()
        wait_for(lambda: serves(f"http://127.0.0.1:{port}/"), "the web UI to serve", timeout=90, interval=0.5)
        assert output().count("Booting worker") == 2  # each worker forked once, after the database answered
        assert "WORKER TIMEOUT" not in output() and "Traceback" not in output()
        assert later.password not in output()
    finally:
        server.terminate()
        server.wait(timeout=30)
        later.stop()


@pytest.mark.parametrize(
    ("database", "password", "said"),
    [
        ("huiqi", "not-the-password", "网页服务无法启动：应用数据库拒绝登录：请检查 DATABASE_URL"),
        ("no_such_db", None, "网页服务无法启动：应用数据库“no_such_db”不存在：请先创建它，或改正 DATABASE_URL"),
    ],
    ids=["wrong password", "missing database"],
)
def test_gunicorn_stops_with_one_line_when_the_database_refuses(database, password, said, server, tmp_path: Path):
    """One line naming DATABASE_URL and exit status 3 from the master: no worker forked, no respawn loop."""
    url = server.url(database)
    if password:
        server.create_database(database)
        url = url.replace(server.password, password)
    result = run(GUNICORN, gunicorn_env(url, tmp_path, free_port()))
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    (line,) = [line for line in output.splitlines() if "DATABASE_URL" in line]
    assert line.startswith(said)
    assert "Booting worker" not in output and "Traceback" not in output
    assert server.password not in output and "not-the-password" not in output


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
