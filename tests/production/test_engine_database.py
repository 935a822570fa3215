"""The engine's database down, refusing or missing at start, and what a node runs with (issue 12).

A database that does not answer yet is waited for with backoff, never a crash loop; refused credentials,
a missing database, a cluster-unsafe id generator or isolation level, and a node in another time zone than
the database's first stop the start at once with one line naming the setting to fix. Real engine processes
on their own throwaway PostgreSQL servers.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.engine import EngineProcess, StackError, build_engine, free_port
from devstack.postgres import SUPERUSER, ThrowawayPostgres
from devstack.waiting import wait_for
from domain.config import PROJECT_ROOT

pytestmark = pytest.mark.postgres

WAITING = "暂时无法连接"


def throwaway(purpose: str, port: int | None = None) -> ThrowawayPostgres:
    return ThrowawayPostgres(PROJECT_ROOT / "var" / f"test-postgres-{purpose}-{uuid.uuid4().hex[:8]}", port)


@pytest.fixture(scope="module", autouse=True)
def _jar() -> None:
    build_engine()


@pytest.fixture(scope="module")
def server() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL that answers, for the refusals."""
    server = throwaway("engine-refusals").start()
    yield server
    server.stop()


def engine(tmp_path: Path, name: str, **env: str) -> EngineProcess:
    return EngineProcess(
        free_port(), tmp_path / name, tmp_path / f"{name}.log", env={"ENGINE_JOB_EXECUTION": "false", **env}
    )


def refused(process: EngineProcess, within: float = 120.0) -> tuple[int, float, str]:
    """Start an engine that must not start; return its exit code, the seconds it took and its log."""
    started = time.monotonic()
    try:
        with pytest.raises(StackError):
            process.start(timeout=within)
    finally:
        process.stop()
    assert process.process is not None
    return process.process.returncode, time.monotonic() - started, process.log_path.read_text(encoding="utf-8")


def first_error(log: str) -> str:
    return next((line for line in log.splitlines() if " ERROR " in line), "")


@pytest.fixture(scope="module")
def waited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An engine started while its PostgreSQL was down; the server comes up once the engine waits.
    Yields the engine's log once it is ready."""
    port = free_port()
    late = throwaway("engine-late", port)
    # The database "postgres" exists as soon as the server answers ("camunda" would need a moment more).
    process = engine(
        tmp_path_factory.mktemp("waited"), "engine", **late.engine_env("postgres"),
        ENGINE_TIMEZONE="Asia/Urumqi", ENGINE_JOB_EXECUTION="true", ENGINE_JOB_LOCK_TIME_MS="120000",
    )  # fmt: skip
    failures: list[BaseException] = []

    def bring_the_database_up() -> None:
        try:
            wait_for(lambda: process.log_path.exists() and WAITING in process.log_path.read_text("utf-8"),
                     "the engine to wait for its database", timeout=120, interval=0.5)  # fmt: skip
            late.start()
        except BaseException as failure:  # handed to the test through the fixture
            failures.append(failure)

    helper = threading.Thread(target=bring_the_database_up, daemon=True)
    helper.start()
    try:
        process.start(timeout=300)
        helper.join(timeout=10)
        assert not failures, failures
        yield process.log_path.read_text(encoding="utf-8")
    finally:
        process.stop()
        helper.join(timeout=130)
        late.stop()


def test_an_engine_waits_for_a_database_that_is_not_up_yet(waited: str):
    """(a) No crash loop: one clear line per retry naming the URL, then a normal start."""
    lines = [line for line in waited.splitlines() if WAITING in line]
    assert lines and all("jdbc:postgresql://127.0.0.1:" in line and "重试" in line for line in lines)
    assert "ENGINE_DB_WAIT_SECONDS" in lines[0]
    assert "已可连接" in waited
    assert " ERROR " not in waited


def test_the_start_line_says_what_the_node_runs_with(waited: str):
    """What two nodes must share is in one line: time zone, id generator, isolation level, job executor."""
    line = next(line for line in waited.splitlines() if "引擎节点" in line)
    assert "时区 Asia/Urumqi" in line  # ENGINE_TIMEZONE is read
    assert "ID 生成器 StrongUuidGenerator" in line
    assert "事务隔离级别 READ_COMMITTED" in line
    assert "作业执行器开启" in line and "锁定时间 120000 毫秒" in line
    assert "历史清理窗口 22:00–06:00" in line
    assert re.search(r"\+06:00 ", line)  # the log's own clock runs in the zone too


def test_a_database_that_never_answers_ends_the_start_after_the_wait(tmp_path: Path):
    nowhere = f"jdbc:postgresql://127.0.0.1:{free_port()}/camunda"
    process = engine(tmp_path, "engine", ENGINE_DB_URL=nowhere, ENGINE_DB_USER=SUPERUSER, ENGINE_DB_PASSWORD="x",
                     ENGINE_DB_WAIT_SECONDS="3")  # fmt: skip
    code, _, log = refused(process)
    assert code == 1
    assert "3 秒内始终无法连接" in first_error(log) and nowhere in first_error(log)


def test_a_wrong_password_stops_the_start_at_once(server: ThrowawayPostgres, tmp_path: Path):
    """(b) Waiting would not help: exit 2 with the settings to check, no stack trace."""
    server.create_database("camunda_password")
    settings = {**server.engine_env("camunda_password"), "ENGINE_DB_PASSWORD": "not-the-password"}
    code, seconds, log = refused(engine(tmp_path, "engine", **settings))
    assert code == 2
    assert seconds < 60
    line = first_error(log)
    assert "ENGINE_DB_USER" in line and "ENGINE_DB_PASSWORD" in line and "not-the-password" not in log
    assert WAITING not in log and "\tat " not in log


def test_a_missing_database_stops_the_start_at_once(server: ThrowawayPostgres, tmp_path: Path):
    """(c) The line names ENGINE_DB_URL and says that the database must be created."""
    code, seconds, log = refused(engine(tmp_path, "engine", **server.engine_env("no_such_database")))
    assert code == 2
    assert seconds < 60
    line = first_error(log)
    assert "ENGINE_DB_URL=" + server.jdbc_url("no_such_database") in line and "创建" in line
    assert "\tat " not in log


def test_an_engine_on_a_shared_database_refuses_ids_that_are_not_strong(server: ThrowawayPostgres, tmp_path: Path):
    """Two nodes must not draw the same ids: the database's id blocks ("simple") are refused."""
    server.create_database("camunda_ids")
    settings = {**server.engine_env("camunda_ids"), "CAMUNDA_BPM_IDGENERATOR": "simple"}
    code, _, log = refused(engine(tmp_path, "engine", **settings), within=180)
    assert code != 0
    assert "ID 生成器为 DbIdGenerator" in first_error(log) and "strong" in first_error(log)
    assert server.psql("camunda_ids", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0"


def test_an_engine_refuses_a_database_whose_isolation_is_not_read_committed(server: ThrowawayPostgres, tmp_path: Path):
    """G2: the database's default changed by its owner (optimistic locking needs READ COMMITTED)."""
    server.create_database("camunda_isolation")
    server.psql("postgres", "ALTER DATABASE camunda_isolation SET default_transaction_isolation = 'repeatable read'")
    code, _, log = refused(engine(tmp_path, "engine", **server.engine_env("camunda_isolation")), within=180)
    assert code != 0
    line = first_error(log)
    assert "事务隔离级别为 REPEATABLE_READ" in line and "READ_COMMITTED" in line
    assert "default_transaction_isolation" in line and "skipIsolationLevelCheck" not in line
    assert server.psql("camunda_isolation", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0"


def test_a_node_in_another_time_zone_than_the_first_refuses_to_start(server: ThrowawayPostgres, tmp_path: Path):
    """G2: the first node records its zone in the database; a node started with -Duser.timezone=UTC is refused."""
    server.create_database("camunda_zone")
    settings = {**server.engine_env("camunda_zone"), "ENGINE_TIMEZONE": ""}  # the zone from the JVM's options
    first = engine(tmp_path, "first", **settings)  # no -Duser.timezone: China time
    try:
        first.start(timeout=180)
    finally:
        first.stop()
    recorded = "SELECT value_ FROM act_ge_property WHERE name_ = 'huiqi.cluster.timezone'"
    assert server.psql("camunda_zone", recorded) == "Asia/Shanghai"
    other = engine(tmp_path, "other", **settings, ENGINE_JAVA_OPTS="-Xmx512m -Duser.timezone=UTC")
    code, _, log = refused(other, within=180)
    assert code != 0
    line = first_error(log)
    assert "本节点时区为 UTC" in line and "使用 Asia/Shanghai" in line and "ENGINE_TIMEZONE" in line
    assert server.psql("camunda_zone", recorded) == "Asia/Shanghai"
