"""Database.read_scope: the public pages read without taking SQLite's write lock, and never write."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select, text

from domain.db import Database, ReadOnlyViolation
from domain.departments.models import DepartmentContact


@pytest.fixture
def sqlite_database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'app.db'}")
    database.migrate()
    yield database
    database.dispose()


def test_a_read_does_not_wait_for_a_writer_holding_the_lock(sqlite_database):
    read: list[int] = []
    with sqlite_database.session_scope() as writing:  # BEGIN IMMEDIATE: the write lock, held until the end
        writing.execute(text("SELECT 1"))

        def reader():
            with sqlite_database.read_scope() as session:
                read.append(session.execute(text("SELECT 1")).scalar_one())

        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(timeout=5)  # a second BEGIN IMMEDIATE would wait out the 30 s busy timeout
        assert read == [1], "the read waited for the writer's lock"


def test_a_write_in_a_read_scope_is_refused_and_not_kept(sqlite_database):
    with pytest.raises(ReadOnlyViolation), sqlite_database.read_scope() as session:
        session.add(DepartmentContact(group_id="dept-industry", lead_section="科", liaison_name="张三"))
    with sqlite_database.read_scope() as session:
        assert session.scalars(select(DepartmentContact)).all() == []


def test_what_was_read_stays_loaded_after_the_scope(sqlite_database):
    """The guide page reads a row and renders it (or a download sends it) after the scope has closed."""
    with sqlite_database.session_scope() as session:
        session.add(
            DepartmentContact(
                group_id="dept-industry", lead_section="企业科", liaison_name="张三", liaison_phone="13800000000",
                liaison_email="a@example.cn", updated_at=dt.datetime.now(dt.UTC), updated_by="office",
            )
        )  # fmt: skip
    with sqlite_database.read_scope() as session:
        contact = session.get(DepartmentContact, "dept-industry")
    assert (contact.lead_section, contact.liaison_name) == ("企业科", "张三")
