"""Prepare an engine and an application database the way `make run` does, for tests and benchmarks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from domain.calendar import WorkingDayCalendar
from domain.clock import CHINA
from domain.config import PROJECT_ROOT, EngineSettings, Settings, load_settings
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.deployment import collect_files, deploy
from domain.engine.identity import IdentityBootstrap
from domain.policies.demo import seed_demo_policies
from domain.timeliness.reference import publish as publish_reference

DEMO_PASSWORD = Settings.demo_password  # the documented default: a test stack ignores HUIQI_DEMO_PASSWORD


def prepare_engine(url: str) -> EngineSettings:
    """Deploy bpmn/ and forms/ and bootstrap identity with demo users; return the settings."""
    settings = dataclasses.replace(load_settings().engine, url=url)
    admin = EngineClient.as_admin(settings)
    deploy(admin, collect_files(PROJECT_ROOT / "bpmn", PROJECT_ROOT / "forms"))
    publish_reference(admin, WorkingDayCalendar(load_settings().calendar_dir), dt.datetime.now(CHINA).date())
    IdentityBootstrap(admin).run(
        service_password=settings.password, demo_password=DEMO_PASSWORD, worker_password=settings.worker_password
    )
    return settings


def prepare_database(workdir: Path, url: str | None = None) -> str:
    """Migrate and seed an application database (by default a new SQLite file in workdir); return its URL."""
    url = url or f"sqlite:///{workdir / 'app.db'}"
    database = Database(url)
    database.migrate()
    with database.session_scope() as session:
        seed_demo_policies(session)
    database.dispose()
    return url


def worker_env(engine: EngineSettings, database_url: str, workdir: Path) -> dict[str, str]:
    """Environment of a worker process against this engine and database."""
    return {
        "CAMUNDA_URL": engine.url,
        "CAMUNDA_USER": engine.worker_user,  # the workers' own account (issue 11: least privilege)
        "CAMUNDA_PASSWORD": engine.worker_password,
        "DATABASE_URL": database_url,
        "HUIQI_VAR_DIR": str(workdir / "var"),
        "PYTHONUNBUFFERED": "1",
    }
