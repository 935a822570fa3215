"""Which of the figures' queries takes the time: PostgreSQL logs every statement of one figures request with its
duration (log_min_duration_statement = 0, for that request only); the slowest ones are named after the method of
TimelinessFigures.java that runs them, and one may be run again under EXPLAIN (ANALYZE, BUFFERS) with its
parameters bound, for the plan."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from devstack.engine import StackError
from devstack.postgres import ThrowawayPostgres

# "2026-11-28 07:40:00.123 UTC [12345] LOG:  duration: 12.345 ms  execute S_3: SELECT …"
LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] (LOG|DETAIL):\s+(.*)$")
DURATION = re.compile(r"^duration: ([\d.]+) ms\s+(?:execute|statement)[^:]*: (.*)$")
PARAMETER = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")
OURS = ("ALTER SYSTEM", "SELECT pg_reload_conf")  # this module's own statements, not the engine's
# A statement's words → the method of TimelinessFigures.java (or the engine's own query) it belongs to.
QUERIES = (
    ("ACT_RE_DEPLOYMENT", "ReferenceData.load (units, calendar)"),
    ("ACT_GE_BYTEARRAY", "ReferenceData.load (units, calendar)"),
    ("SUM(c.OPEN_) FROM HQ_TL_INSTANCE", "cases (received, open, per month)"),
    ("FROM HQ_TL_TASK_DAYS", "finishedTasks (on time, working days per stage)"),
    ("FROM ACT_RU_TASK t JOIN ACT_RE_PROCDEF d ON d.ID_ = t.PROC_DEF_ID_ JOIN ACT_RU_IDENTITYLINK", "overdue"),
    ("JOIN HQ_TL_TASK_GROUP", "escalations (open tasks)"),
    ("FROM HQ_TL_LATE", "escalations (finished late)"),
    ("c.DONE_TIME_ IS NOT NULL", "countByDepartment (finished, extensions)"),
    ("ACT_HI_ACTINST a WHERE a.PROC_DEF_KEY_", "steps"),
    ("ACT_RU_AUTHORIZATION", "authorization check"),
    ("ACT_ID_USER", "identity (login, groups)"),
    ("ACT_ID_MEMBERSHIP", "identity (login, groups)"),
    ("ACT_ID_GROUP", "identity (login, groups)"),
)


@dataclass
class Statement:
    millis: float
    sql: str
    pid: str
    parameters: dict[int, str] = field(default_factory=dict)

    @property
    def query(self) -> str:
        return next((name for words, name in QUERIES if words in self.sql), "other: " + self.sql[:60])

    def bound(self) -> str:
        """The SQL with its parameters written in (highest number first: $10 before $1)."""
        sql = self.sql
        for number in sorted(self.parameters, reverse=True):
            sql = sql.replace(f"${number}", self.parameters[number])
        return sql


def parse_parameters(text: str) -> dict[int, str]:
    return {int(number): value for number, value in PARAMETER.findall(text)}


def parse_log(lines: list[str]) -> list[Statement]:
    """The statements PostgreSQL logged with their duration (and their parameters from the DETAIL line after)."""
    found: list[Statement] = []
    last: dict[str, Statement] = {}  # backend → its last statement: lines of backends may interleave
    for line in lines:
        match = LINE.match(line)
        if not match:
            continue
        pid, level, text = match.groups()
        if level == "LOG" and (duration := DURATION.match(text)):
            if duration.group(2).startswith(OURS):
                continue
            statement = Statement(float(duration.group(1)), duration.group(2), pid)
            found.append(statement)
            last[pid] = statement
        elif level == "DETAIL" and text.lower().startswith("parameters:") and pid in last:
            last[pid].parameters = parse_parameters(text)
    return found


def by_query(statements: list[Statement]) -> list[tuple[str, float, int]]:
    """(query, total milliseconds, statements), the costliest first."""
    totals: dict[str, list[float]] = {}
    for statement in statements:
        totals.setdefault(statement.query, []).append(statement.millis)
    return sorted(((name, sum(ms), len(ms)) for name, ms in totals.items()), key=lambda row: -row[1])


class StatementLog:
    """The statements one call makes the engine run, from the server's log."""

    def __init__(self, server: ThrowawayPostgres, database: str = "camunda") -> None:
        self.server = server
        self.database = database
        self.log = server.root / "server.log"

    def capture(self, call: Callable[[], object]) -> tuple[list[Statement], float]:
        """The statements of ``call`` and how long it took (milliseconds)."""
        self._set("0")
        offset = self.log.stat().st_size
        try:
            began = time.perf_counter()
            call()
            took = (time.perf_counter() - began) * 1000
        finally:
            self._set(None)
        with self.log.open(encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            return parse_log(log.read().splitlines()), took

    def explain(self, statement: Statement) -> str:
        try:
            return self.server.psql(self.database, f"EXPLAIN (ANALYZE, BUFFERS) {statement.bound()}")
        except StackError as exc:
            return f"(no plan: {exc})"

    def _set(self, value: str | None) -> None:
        if value is None:
            self.server.psql("postgres", "ALTER SYSTEM RESET log_min_duration_statement")
        else:
            self.server.psql("postgres", f"ALTER SYSTEM SET log_min_duration_statement = {value}")
        self.server.psql("postgres", "SELECT pg_reload_conf()")
        time.sleep(0.5)  # the backends read the new setting at their next statement, after the signal
