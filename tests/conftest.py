"""Fixtures: the real engine for the session, the application database, users, workers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack.engine_under_test import engine_under_test
from devstack.postgres import ThrowawayPostgres
from devstack.stack import DEMO_PASSWORD, prepare_database, prepare_engine
from devstack.stack import worker_env as stack_worker_env
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.applications.intake import Intake
from domain.applications.storage import UploadStore
from domain.clock import BusinessClock
from domain.config import PROJECT_ROOT, EngineSettings
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from tests.support.case import CaseDriver
from tests.support.policies import BUSINESS_DATE, add_test_policies


@pytest.fixture(scope="session")
def test_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("huiqi")


def on_postgres() -> bool:
    """The suite's second run (make test): the engine and the application database on PostgreSQL."""
    return os.environ.get("HUIQI_TEST_DATABASE", "embedded") == "postgresql"


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    """A throwaway PostgreSQL server under var/ for this test session (removed after)."""
    server = ThrowawayPostgres(PROJECT_ROOT / "var" / f"test-postgres-{os.getpid()}").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(test_dir: Path, request: pytest.FixtureRequest) -> str:
    """The application database of the test session: migrated, with the demo policies."""
    if on_postgres():
        return prepare_database(test_dir, request.getfixturevalue("postgres").create_database("huiqi"))
    return prepare_database(test_dir)


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    with database.session_scope() as session:
        add_test_policies(session)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def engine_settings(test_dir: Path, request: pytest.FixtureRequest) -> Iterator[EngineSettings]:
    """A real engine with the process deployed and the identity bootstrapped (demo users)."""
    database_env = None
    if on_postgres():
        server = request.getfixturevalue("postgres")
        server.create_database("camunda")
        database_env = server.engine_env("camunda")
    with engine_under_test(test_dir, database_env) as url:
        yield prepare_engine(url)


@pytest.fixture(scope="session")
def admin(engine_settings: EngineSettings) -> EngineClient:
    return EngineClient.as_admin(engine_settings)


@pytest.fixture(scope="session")
def service(engine_settings: EngineSettings) -> EngineClient:
    """The service account: the web UI, the bank and the municipal side speak through it."""
    return EngineClient.as_service(engine_settings)


@pytest.fixture(scope="session")
def counter(database: Database, service: EngineClient, test_dir: Path) -> Intake:
    """The product's intake, as the window's pages call it (counter supplements, 公示 objections)."""
    store = UploadStore(test_dir / "counter-uploads", 10 * 1024 * 1024)
    return Intake(database, store, CaseGateway(service), BusinessClock(BUSINESS_DATE))


@pytest.fixture
def case(admin, service, as_user, counter) -> CaseDriver:
    """A new case to drive (unique business key)."""
    return CaseDriver(admin, service, as_user, counter)


@pytest.fixture(scope="session")
def as_user(engine_settings: EngineSettings) -> Callable[[str], EngineClient]:
    """Return a client acting as a demo user: ``as_user("window-clerk")``."""

    def client_for(user: str) -> EngineClient:
        return EngineClient(engine_settings.url, user, DEMO_PASSWORD, timeout_seconds=10)

    return client_for


@pytest.fixture(scope="session")
def worker_env(engine_settings: EngineSettings, database: Database, test_dir: Path) -> dict[str, str]:
    """Environment of a worker process against the engine and database under test."""
    calendar_dir = test_dir / "calendar"
    calendar_dir.mkdir(exist_ok=True)
    return {
        **stack_worker_env(engine_settings, database.url, test_dir),
        # Deadlines are asserted on the official 2026 calendar around National Day (R3–R10).
        "HUIQI_BUSINESS_DATE": BUSINESS_DATE.isoformat(),
        "WORKING_CALENDAR_DIR": str(calendar_dir),
        # Short polls only so that retried tasks (picked up at the next poll) come back quickly;
        # new tasks wake a waiting poll at once whatever its length.
        "WORKER_LONG_POLL_MS": "2000",
        "WORKER_TASK_RETRIES": "2",
        "WORKER_TASK_RETRY_BASE_MS": "50",
        "WORKER_RECONNECT_MIN_SECONDS": "0.2",
        "WORKER_RECONNECT_MAX_SECONDS": "1",
    }


@pytest.fixture(scope="module")
def workers(worker_env: dict[str, str], test_dir: Path, request: pytest.FixtureRequest) -> Iterator[WorkersProcess]:
    """The workers as a real process for the tests of one module; stopped with SIGTERM after."""
    log_path = test_dir / f"workers-{request.module.__name__}.log"
    process = WorkersProcess(worker_env, log_path).start()
    # Serving before the tests run (and before a SIGTERM could arrive ahead of the signal handlers).
    wait_for(lambda: "开始服务主题" in process.log(), "the workers to serve", timeout=60)
    yield process
    assert process.stop() == 0, process.log()
