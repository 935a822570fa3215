"""Gapless counters (document numbers per department and year, application numbers per day).

The counter row is created if missing (insert … on conflict do nothing) and incremented with
``UPDATE … RETURNING`` in the caller's transaction: concurrent callers queue on the row lock, a
rolled-back transaction gives its number back, so numbers have no gaps and no twins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


def next_in_sequence(session: Session, model: Any, **key: Any) -> int:
    """Take the next number of the counter row ``key`` of ``model`` (which has ``last_number``)."""
    dialect = session.get_bind().dialect.name
    session.execute(INSERTS[dialect](model).values(**key, last_number=0).on_conflict_do_nothing())
    return session.execute(
        update(model).filter_by(**key).values(last_number=model.last_number + 1).returning(model.last_number)
    ).scalar_one()
