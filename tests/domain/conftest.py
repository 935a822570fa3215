"""Fixtures for domain tests: a migrated database and a session rolled back after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from domain.db import Database


@pytest.fixture
def db_session(database: Database) -> Iterator[Session]:
    """A session in a transaction that is rolled back after the test."""
    connection = database.engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    transaction.rollback()
    connection.close()
