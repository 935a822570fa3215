"""In production the engine never starts with the development administrator (admin/admin) or a short password:
its admin app is published to staff (issue 11, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.production.test_engine_database import engine, refused

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("password", [None, "admin", "short-pass"])
def test_production_refuses_the_default_or_a_weak_administrator_password(tmp_path: Path, password: str | None,
                                                                         monkeypatch):  # fmt: skip
    monkeypatch.delenv("CAMUNDA_ADMIN_PASSWORD", raising=False)
    env = {"HUIQI_ENV": "production", **({"CAMUNDA_ADMIN_PASSWORD": password} if password else {})}
    code, _seconds, log = refused(engine(tmp_path, "engine", **env), within=90)
    assert code == 2
    assert "CAMUNDA_ADMIN_PASSWORD" in log and "流程引擎未启动" in log
    assert "\tat " not in log
