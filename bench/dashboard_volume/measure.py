"""What P3 times at each size, one request after another (the latency one user feels): the figures endpoint as
the web UI's service account and as a manager, all time and this month; the dashboard as the web UI builds it
(the figures and the funds from the application database); the time at each step (/steps, the Cockpit plugin's);
a department's task list as Tasklist pages it, and its count, as the department's reviewer."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.common.stats import Latencies
from bench.dashboard_volume.plan import MEASURED, Size, measured_share
from domain.cases import PROCESS_KEY
from domain.clock import CHINA
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.bulk import GroupTasks
from domain.engine.figures import FiguresReader
from domain.timeliness.dashboard import DashboardBuilder

TARGET_MS = 1000.0  # issue 14 item 2: p95 < 1 s (for the task list: our choice, the same)


@dataclass(frozen=True)
class Series:
    key: str  # ASCII, for the plot
    name: str
    call: Callable[[], object]
    plot: str  # which plot: "figures" or "tasklist"


@dataclass(frozen=True)
class Clients:
    service: EngineClient  # the web UI's account
    manager: EngineClient
    reviewer: EngineClient  # a member of the measured department
    database: Database  # the application database (funds)


def series(clients: Clients, now: dt.datetime) -> list[Series]:
    month = now.astimezone(CHINA).strftime("%Y-%m")
    service, manager = FiguresReader(clients.service), FiguresReader(clients.manager)
    tasks = GroupTasks(clients.reviewer)
    group = MEASURED.group_id
    return [
        Series("figures all time, web UI", "figures, all time, web UI's account", lambda: service.figures(None, now),
               "figures"),
        Series("figures month, web UI", f"figures, this month ({month}), web UI's account",
               lambda: service.figures(month, now), "figures"),
        Series("figures all time, manager", "figures, all time, manager", lambda: manager.figures(None, now),
               "figures"),
        Series("figures month, manager", f"figures, this month ({month}), manager", lambda: manager.figures(month, now),
               "figures"),
        Series("dashboard (builder)", "dashboard as /staff/dashboard builds it (figures + funds), all time",
               lambda: DashboardBuilder(service, clients.database, now).build(None), "figures"),
        Series("steps, manager", "time at each step (/steps), manager", lambda: manager.steps(PROCESS_KEY), "figures"),
        Series("task list page", f"task list of {group}: 15 by due date, as its reviewer", lambda: tasks.page(group),
               "tasklist"),
        Series("task count", f"task count of {group}, as its reviewer", lambda: tasks.count(group), "tasklist"),
    ]  # fmt: skip


def sample(call: Callable[[], object], requests: int) -> Latencies:
    """One warm-up call, then ``requests`` timed calls one after another; milliseconds."""
    call()
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return Latencies.of(times)


def check_data(clients: Clients, size: Size, now: dt.datetime) -> list[str]:
    """What the figures and the task list say differs from what was created (empty: as planned)."""
    figures = FiguresReader(clients.manager).figures(None, now)
    units = {unit["group"]: unit for unit in figures["units"]}
    window, measured = units["window"], units[MEASURED.group_id]
    group, open_, finished = MEASURED.group_id, measured_share(size.open), measured_share(size.finished)
    expected = {
        "window received": (window["received"], size.finished + size.open),
        "window finished (办结)": (window["finished"], size.finished),
        "window open": (window["open"], size.open),
        f"{group} overdue": (measured["overdueCount"], open_),
        f"{group} received": (measured["received"], finished + open_),
        f"{group} task count": (GroupTasks(clients.reviewer).count(group), open_),
    }
    return [f"{name}: {got} (created {want})" for name, (got, want) in expected.items() if got != want]
