"""The application's own database: engine, sessions, migrations (Alembic, from the first table on).

SQLite under var/ by default, PostgreSQL by DATABASE_URL. Models of every business package share
:class:`Base`, so one Alembic history covers them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
T = TypeVar("T")

# Stable constraint names so that migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AwareDateTime(TypeDecorator):
    """A moment in time: stored in UTC, always read back timezone-aware (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"时间 {value} 缺少时区")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def get_or_create(session: Session, model: type[T], key: dict[str, Any], **values: Any) -> tuple[T, bool]:
    """Return (the row matching ``key``, False), or add one with ``key`` and ``values`` and return (it, True).

    The effect-once pattern of the workers: ``key`` is the idempotency key, backed by a unique
    constraint, so a concurrent duplicate fails its transaction instead of writing twice.
    """
    existing = session.scalar(select(model).filter_by(**key))
    if existing is not None:
        return existing, False
    row = model(**key, **values)
    session.add(row)
    session.flush()
    return row, True


def make_engine(url: str) -> Engine:
    """Return an engine for this URL.

    SQLite (the embedded default, shared by several worker processes) gets foreign keys, WAL, a
    busy timeout and ``BEGIN IMMEDIATE``: a transaction takes the write lock when it starts, so two
    processes never both read a sequence and then collide upgrading to a write. A connection marked
    ``READ_ONLY`` (:meth:`Database.read_scope`) begins a plain deferred transaction instead: it reads a
    snapshot (WAL) and never waits for, nor holds up, a writer.
    """
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            read_only = connection.get_execution_options().get(READ_ONLY)
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


READ_ONLY = "huiqi_read_only"  # execution option: this connection's transactions only read


class ReadOnlyViolation(RuntimeError):
    """Something was written in a read-only session."""


class Database:
    """One database: its engine and a session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        reading = self.engine.execution_options(**{READ_ONLY: True})
        self.read_sessionmaker = sessionmaker(reading, expire_on_commit=False)

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read_scope(self) -> Iterator[Session]:
        """A session that only reads (public pages): one snapshot, no write lock taken, never committed.

        Raise ReadOnlyViolation if anything was added, changed or deleted in it: a write belongs in
        :meth:`session_scope`.
        """
        session = self.read_sessionmaker()
        try:
            yield session
            if session.new or session.dirty or session.deleted:
                raise ReadOnlyViolation("a read-only session was asked to write; use session_scope")
        finally:
            session.close()  # ends the transaction without a commit, and leaves what was read loaded

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from alembic import command

        command.upgrade(alembic_config(self.url), "head")

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str):
    """Return an Alembic configuration for this database URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
