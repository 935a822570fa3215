"""Fixtures for the web UI: the app on the test database and a test client."""

import pytest

from webui import create_app


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HUIQI_VAR_DIR", str(tmp_path))
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
