"""Before the web UI serves: the application database answers, or one clear line says what to fix (issue 12)."""

from __future__ import annotations

import sys

from domain.config import Settings
from domain.db import Database
from domain.db_check import DatabaseProblem, wait_until_ready


def require_database(settings: Settings) -> None:
    """Wait (doubling waits, at most HUIQI_DB_WAIT_SECONDS) for a database that is not up yet; exit with
    one line when it refuses (wrong password, missing database) or never comes."""
    database = Database(settings.database_url)
    try:
        wait_until_ready(database, lambda line: print(f"网页服务：{line}", file=sys.stderr, flush=True),
                         settings.database_wait_seconds)  # fmt: skip
    except DatabaseProblem as exc:
        print(f"网页服务无法启动：{exc}", file=sys.stderr, flush=True)
        raise SystemExit(3) from None
    finally:
        database.dispose()
