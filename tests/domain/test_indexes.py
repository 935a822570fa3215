"""The indexes the dashboard, the inboxes and the acceptance worker need (issue 12, migration 0008).

They exist after migration (on the session's database: SQLite, or PostgreSQL in make test's second pass),
the models declare exactly them (autogenerate finds nothing else to add), and the product's own queries
use them (SQLite's query plans; docs/operations.md names each index's query).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import domain.models  # noqa: F401  (every table on Base.metadata)
from domain.applications.case_binding import bind_case
from domain.db import Base, Database, alembic_config
from domain.notices.services import NoticeService
from domain.timeliness.dashboard import DashboardBuilder

INDEXES = {  # name → (table, columns)
    "ix_notice_recipient_id": ("notice", ["recipient", "id"]),
    "ix_payment_order_confirmed_at": ("payment_order", ["confirmed_at"]),
    "ix_overdue_escalation_escalated_at": ("overdue_escalation", ["escalated_at"]),
    "ix_application_process_instance_id": ("application", ["process_instance_id"]),
}
CREDIT_CODE = "91350100M000100Y43"


def indexes(engine: sa.Engine) -> dict[str, tuple[str, list[str]]]:
    inspector = sa.inspect(engine)
    return {
        index["name"]: (table, index["column_names"])
        for table in inspector.get_table_names()
        for index in inspector.get_indexes(table)
    }


def test_the_indexes_exist_after_migration(database_url):
    engine = sa.create_engine(database_url)
    try:
        found = indexes(engine)
    finally:
        engine.dispose()
    assert {name: found.get(name) for name in INDEXES} == INDEXES


def test_the_models_declare_what_the_migration_creates(tmp_path):
    """At 0007 autogenerate would add exactly these indexes from the models; 0008 adds them; its downgrade
    takes them away again."""
    url = f"sqlite:///{tmp_path / 'indexes.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0007")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            present = set(sa.inspect(connection).get_table_names())
            # Tables of later revisions (and their indexes) are theirs: only what 0008 adds to 0007's tables.
            missing = [
                diff for diff in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if diff[0] != "add_table" and getattr(getattr(diff[1], "table", None), "name", None) in present
            ]  # fmt: skip
        assert {diff[1].name: (diff[1].table.name, [c.name for c in diff[1].columns]) for diff in missing} == INDEXES
        assert {diff[0] for diff in missing} == {"add_index"}
        command.upgrade(config, "head")
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        command.downgrade(config, "0008")  # later revisions (their own tables) are not this test's
        command.downgrade(config, "0007")
        assert not set(INDEXES) & set(indexes(engine))
    finally:
        engine.dispose()


class NoFigures:
    """The engine's side of the dashboard, empty: only the application database's figures are read here."""

    def figures(self, period, now):
        return {"units": [], "receivedByMonth": {}, "calendarGaps": [], "provisionalYears": []}


@contextmanager
def statements(database: Database) -> Iterator[list[tuple[str, object]]]:
    """Collect every SELECT the product sends to this database meanwhile."""
    seen: list[tuple[str, object]] = []

    def collect(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(database.engine, "before_cursor_execute", collect)
    try:
        yield seen
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", collect)


def plan(database: Database, statement: str, parameters) -> str:
    with database.engine.connect() as connection:
        return " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))


def test_the_product_queries_use_the_indexes(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'plans.db'}")
    database.migrate()
    try:
        with statements(database) as staff_inbox, database.session_scope() as session:
            NoticeService(session).staff_inbox(["window"])
            NoticeService(session).staff_inbox_count(["window", "dept-science"])
            NoticeService(session).inbox(CREDIT_CODE)
        with statements(database) as dashboard:
            DashboardBuilder(NoFigures(), database, dt.datetime.now(dt.UTC)).build("2026-10")
        session = database.sessionmaker()
        with statements(database) as acceptance:
            bind_case(session, "a-new-case", None, {"creditCode": CREDIT_CODE}, dt.date(2026, 9, 28))
        session.rollback()
        session.close()

        plans = [plan(database, *found) for found in (*staff_inbox, *dashboard, acceptance[0])]
        assert [p.split(" (")[0] for p in plans] == [
            "SEARCH notice USING INDEX ix_notice_recipient_id",  # staff inbox, newest first
            "SEARCH notice USING COVERING INDEX ix_notice_recipient_id",  # its count on the staff home page
            "SEARCH notice USING INDEX ix_notice_recipient_id",  # an enterprise's inbox
            "SEARCH payment_order USING INDEX ix_payment_order_confirmed_at",  # funds paid in the month
            "SEARCH application USING INDEX ix_application_process_instance_id",  # the case's application
        ], plans
    finally:
        database.dispose()
