"""devstack's choice of engine: a run on PostgreSQL gets an engine on PostgreSQL even where Docker answers."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from devstack import engine_under_test as chooser


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Stand-ins for the container and the jar that record which one was started, with what; Docker answers."""
    calls: list[tuple] = []

    @contextmanager
    def in_container():
        calls.append(("container",))
        yield "http://container/engine-rest"

    @contextmanager
    def from_jar(workdir: Path, database_env=None):
        calls.append(("jar", database_env))
        yield "http://jar/engine-rest"

    monkeypatch.delenv("CAMUNDA_URL", raising=False)
    monkeypatch.setattr(chooser, "docker_available", lambda: True)
    monkeypatch.setattr(chooser, "engine_in_container", in_container)
    monkeypatch.setattr(chooser, "engine_from_jar", from_jar)
    return calls


def test_a_named_database_gets_the_jar_on_it_even_where_docker_answers(started, tmp_path):
    database_env = {"ENGINE_DB_URL": "jdbc:postgresql://localhost:5432/camunda"}
    with chooser.engine_under_test(tmp_path, database_env) as url:
        assert url == "http://jar/engine-rest"
    assert started == [("jar", database_env)]


def test_without_a_named_database_docker_runs_the_image(started, tmp_path):
    with chooser.engine_under_test(tmp_path) as url:
        assert url == "http://container/engine-rest"
    assert started == [("container",)]
