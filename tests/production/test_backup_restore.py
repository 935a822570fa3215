"""Backup and restore, exercised (issue 12; docs/operations.md): a case waiting at a user task survives
pg_dump -Fc of both databases — the engine's first, then the application's — and pg_restore into fresh ones.

A second engine jar started on the restored engine database finds the case where it was: its process
instance, its open task with its due date and overdue timer, its variables and history, its candidate group
(the department's reviewer sees the task: identity and authorizations came along). The restored application
database has the application row, and the web UI on the two restored databases shows the window the case's
page. Only in make test's PostgreSQL pass, where the session's engine and application database run on the
throwaway PostgreSQL server (tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from devstack.engine import EngineProcess, free_port
from devstack.stack import DEMO_PASSWORD
from domain.applications.submission import ApplicationService
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.history import HistoryReader
from domain.engine.tasks import TaskGateway
from tests.conftest import on_postgres
from tests.webui.conftest import Browser
from webui import create_app

pytestmark = [pytest.mark.postgres, pytest.mark.engine, pytest.mark.usefixtures("workers")]

ENGINE_DATABASE = "camunda"  # the session engine's database (tests/conftest.py, engine_settings)
REVIEWER = "industry-reviewer"  # T-QUAL is the industry bureau's policy


def snapshot(client: EngineClient, instance_id: str) -> dict:
    """What an engine knows of one waiting case: instance, open tasks, timers, variables, path, groups."""
    tasks = TaskGateway(client).open_tasks(instance_id)
    return {
        "instance": {k: v for k, v in client.get(f"/process-instance/{instance_id}").items() if k != "links"},
        "tasks": [(t.id, t.definition_key, t.due) for t in tasks],
        "timers": sorted((job["id"], job["dueDate"]) for job in client.get("/job", processInstanceId=instance_id)),
        "variables": client.get(f"/process-instance/{instance_id}/variables", deserializeValues="false"),
        "path": HistoryReader(client).path(instance_id),
        "groups": {
            link["groupId"] for t in tasks for link in client.get(f"/task/{t.id}/identity-links", type="candidate")
        },
    }


def test_a_waiting_case_survives_backup_and_restore(postgres, database, engine_settings, admin, case, tmp_path,
                                                    monkeypatch):  # fmt: skip
    if not on_postgres():
        pytest.skip("needs make test's PostgreSQL pass (HUIQI_TEST_DATABASE=postgresql)")
    case.accept("T-QUAL")
    case.task("preliminary_review", REVIEWER)
    before = snapshot(admin, case.instance_id)
    assert [key for _, key, _ in before["tasks"]] == ["preliminary_review"]
    assert before["timers"], "the task's overdue timer"

    # Engine first, then the application: see docs/operations.md for why.
    app_database = make_url(database.url).database
    suffix = uuid.uuid4().hex[:8]
    restored_engine_db, restored_app_db = f"camunda_restored_{suffix}", f"huiqi_restored_{suffix}"
    postgres.restore(postgres.dump(ENGINE_DATABASE, tmp_path / "camunda.dump"), restored_engine_db)
    postgres.restore(postgres.dump(app_database, tmp_path / "huiqi.dump"), restored_app_db)

    engine = EngineProcess(
        free_port(), tmp_path / "engine", tmp_path / "engine.log",
        env={**postgres.engine_env(restored_engine_db), "ENGINE_JOB_EXECUTION": "false"},
    )  # fmt: skip
    restored_app = Database(postgres.url(restored_app_db))
    try:
        engine.start(timeout=300)
        restored = EngineClient.as_admin(dataclasses.replace(engine_settings, url=engine.rest_url))

        after = snapshot(restored, case.instance_id)
        assert after == before
        assert after["instance"]["businessKey"] == case.key and not after["instance"]["ended"]
        assert after["tasks"][0][2].isoformat() == "2026-10-10T23:59:59+08:00"  # R4, as the original engine has it
        assert after["groups"] == {"dept-industry"}
        reviewer = EngineClient(engine.rest_url, REVIEWER, DEMO_PASSWORD, timeout_seconds=10)
        assert [t["id"] for t in reviewer.get("/task", processInstanceId=case.instance_id)] == [before["tasks"][0][0]]

        with restored_app.session_scope() as session:
            application = ApplicationService(session).by_number(case.key)
            assert application is not None
            assert (application.process_instance_id, application.policy_code) == (case.instance_id, "T-QUAL")

        page = window_page(restored_app.url, engine.rest_url, case.key, tmp_path, monkeypatch)
        assert case.key in page and case.instance_id in page
        assert "部门初步审查" in page and "办理时限 2026-10-10 23:59" in page
    finally:
        engine.stop()
        restored_app.dispose()
        postgres.drop_database(restored_engine_db)
        postgres.drop_database(restored_app_db)


def window_page(database_url: str, engine_url: str, number: str, var_dir: Path, monkeypatch) -> str:
    """The window's page of the application, from a web UI on the restored databases."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CAMUNDA_URL", engine_url)
    monkeypatch.setenv("HUIQI_VAR_DIR", str(var_dir / "webui"))
    monkeypatch.setenv("HUIQI_BUSINESS_DATE", "2026-09-28")
    app = create_app({"TESTING": True})
    try:
        clerk = Browser(app.test_client())
        answer = clerk.post("/staff/login", {"user_id": "window-clerk", "password": DEMO_PASSWORD})
        assert answer.status_code == 302, answer.get_data(as_text=True)
        return clerk.text(f"/staff/applications/{number}")
    finally:
        app.extensions["huiqi"].close()
