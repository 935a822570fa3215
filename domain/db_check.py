"""Is the application database there? One clear line naming the setting to fix, and waits with backoff.

Used at start by the workers, the web UI and the operator's commands (issue 12): a database that does
not answer yet is waited for (doubling waits, bounded); one that answers but refuses (wrong password,
missing database) is a configuration error named in one line, never a stack trace.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from domain.db import Database

# PostgreSQL's SQLSTATEs for a refusal that waiting does not cure, and, since libpq gives no SQLSTATE for a
# refused connection, the server's words for them (English, or a server with Chinese messages).
WRONG_CREDENTIALS = {"28P01", "28000"}
MISSING_DATABASE = "3D000"
CREDENTIAL_WORDS = re.compile(r"password authentication failed|no pg_hba\.conf entry|role \S+ does not exist|认证失败")
MISSING_DATABASE_WORDS = re.compile(r'database "[^"]*" does not exist|数据库 "[^"]*" 不存在')


# What a query raises when the database went away while the process runs (the web UI's 503 page).
DatabaseGone = OperationalError


class DatabaseProblem(Exception):
    """The application database cannot be used; the message names the setting (Chinese, one line)."""


class DatabaseUnavailable(DatabaseProblem):
    """Nothing answers (down, not started yet, network): worth waiting for."""


class DatabaseRefused(DatabaseProblem):
    """It answers and refuses: wrong user or password, or the database does not exist. Fix the setting."""


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "（无法解析的 DATABASE_URL）"


def check(database: Database) -> None:
    """Open one connection and run ``SELECT 1``; raise DatabaseUnavailable or DatabaseRefused."""
    where = safe_url(database.url)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        state = getattr(exc.orig, "sqlstate", None)
        said = str(exc.orig)
        if state in WRONG_CREDENTIALS or CREDENTIAL_WORDS.search(said):
            raise DatabaseRefused(f"应用数据库拒绝登录：请检查 DATABASE_URL（{where}）中的用户名和密码。") from exc
        if state == MISSING_DATABASE or MISSING_DATABASE_WORDS.search(said):
            name = make_url(database.url).database
            raise DatabaseRefused(
                f"应用数据库“{name}”不存在：请先创建它，或改正 DATABASE_URL（{where}）。"
            ) from exc
        raise DatabaseUnavailable(f"应用数据库无法连接（DATABASE_URL={where}）：{first_line(exc.orig)}") from exc
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"应用数据库无法使用（DATABASE_URL={where}）：{first_line(exc)}") from exc


def first_line(error: BaseException | None) -> str:
    return (str(error) or type(error).__name__).strip().splitlines()[0][:200] if error else ""


def wait_until_ready(
    database: Database,
    say: Callable[[str], None],
    max_wait_seconds: float,
    minimum: float = 1.0,
    maximum: float = 30.0,
    stopping: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Wait for the database with doubling waits (minimum…maximum seconds), at most max_wait_seconds.

    Says each wait in one line. Returns True when ready, False if ``stopping()`` became true first;
    raises DatabaseRefused at once, DatabaseUnavailable when the time is up.
    """
    deadline = time.monotonic() + max_wait_seconds
    delay = minimum
    while True:
        try:
            check(database)
            return True
        except DatabaseUnavailable as exc:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseUnavailable(f"{exc}；已等待 {max_wait_seconds:.0f} 秒，放弃。") from exc
            wait = min(delay, left)
            say(f"{exc}；{wait:.1f} 秒后重试。")
            sleep(wait)
            delay = min(delay * 2, maximum)
        if stopping():
            return False
