"""python -m bench.dashboard_volume: see bench/dashboard_volume/__init__.py."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from bench.common.engine import BenchEngine, engine_jar
from bench.common.guards import NoFigure
from bench.common.memory import sample_group
from bench.common.report import BenchRun, Figure
from bench.common.settings import load_bench_settings
from bench.common.stats import Latencies
from bench.dashboard_volume import profile
from bench.dashboard_volume.load import Loader
from bench.dashboard_volume.measure import TARGET_MS, Clients, Series, check_data, sample, series
from bench.dashboard_volume.plan import FULL, Size, growth, parse_sizes, sizes_for
from bench.history_volume import HISTORY_TABLES
from devstack.engine import StackError
from devstack.postgres import ThrowawayPostgres
from devstack.stack import DEMO_PASSWORD, prepare_database, prepare_engine
from domain.clock import CHINA
from domain.config import PROJECT_ROOT
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.bulk import BulkCases
from domain.engine.figures import FiguresReader

# Rows of the history tables the figures read, at each size (the growth curve is about them).
ROWS = """SELECT (SELECT count(*) FROM act_hi_procinst), (SELECT count(*) FROM act_hi_actinst),
  (SELECT count(*) FROM act_hi_taskinst), (SELECT count(*) FROM act_hi_identitylink),
  (SELECT count(*) FROM act_hi_varinst), (SELECT count(*) FROM act_ru_task)"""
ROW_NAMES = ("act_hi_procinst", "act_hi_actinst", "act_hi_taskinst", "act_hi_identitylink", "act_hi_varinst",
             "act_ru_task")  # fmt: skip
DATES = ("every case was started and ended during this run: history times are the real times of the engine's "
         "calls and the API cannot back-date them, so 'this month' holds the whole history and the working days "
         "per stage are 0; the growth curves are about the number of rows, not about dates.")  # fmt: skip


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_volume", description=__doc__)
    parser.add_argument("--sizes", help="finished[/open] cases per size, growing: 1000,10000 (default by FULL)")
    parser.add_argument("--requests", type=int, help="timed requests per series and size (default 20; FULL: 30)")
    parser.add_argument("--threads", type=int, default=4, help="engine calls at once while creating the cases")
    parser.add_argument("--chunk", type=int, default=250, help="cases per batch modification")
    parser.add_argument("--explain", action="store_true", help="print the slowest query's plan at every size")
    parser.add_argument("--no-build", action="store_true", help="run the engine jar as built")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the engine and PostgreSQL stop too
    settings = load_bench_settings()
    try:
        sizes = parse_sizes(args.sizes) if args.sizes else sizes_for(settings.full)
    except ValueError as exc:
        raise SystemExit(f"--sizes: {exc}") from None
    requests = args.requests or settings.pick(20, 30)
    params = {"sizes": [f"{s.finished}/{s.open}" for s in sizes], "requests": requests, "threads": args.threads,
              "chunk": args.chunk}  # fmt: skip
    run = BenchRun("dashboard_volume", "P3 a department's task list and the dashboard at volume", params, settings)
    return run.main(lambda run: Volume(run, args, sizes, requests).measure())


class Volume:
    def __init__(self, run: BenchRun, args: argparse.Namespace, sizes: tuple[Size, ...], requests: int) -> None:
        self.run, self.args, self.sizes, self.requests = run, args, sizes, requests
        self.p95: dict[str, dict[int, Latencies]] = {}  # series key → size (finished cases) → latencies
        self.series: dict[str, Series] = {}

    def measure(self) -> None:
        workdir = Path(tempfile.mkdtemp(prefix="bench-p3-"))
        try:
            server = ThrowawayPostgres(PROJECT_ROOT / "var" / "bench-dashboard-postgres")
        except StackError as exc:
            raise NoFigure(f"PostgreSQL is not installed (tools/ensure-postgres): nothing measured. {exc}") from exc
        try:
            server.start()
            server.create_database("camunda")
            app_url = prepare_database(workdir, server.create_database("huiqi"))
            with engine_jar(workdir, build=not self.args.no_build, env=server.engine_env("camunda")) as engine:
                self.on_engine(engine, server, Database(app_url))
        except BaseException:
            self.run.say(f"the engine's log is kept: {workdir / 'engine.log'}")
            raise
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        finally:
            server.stop()

    def on_engine(self, engine: BenchEngine, server: ThrowawayPostgres, database: Database) -> None:
        run = self.run
        settings = prepare_engine(engine.url)  # deploys, publishes the reference data, bootstraps the users
        admin = EngineClient(engine.url, settings.admin_user, settings.admin_password, timeout_seconds=900, retries=0)
        person = lambda user: EngineClient(engine.url, user, DEMO_PASSWORD, timeout_seconds=120)  # noqa: E731
        service = EngineClient(engine.url, settings.user, settings.password, timeout_seconds=120)
        clients = Clients(service, person("manager"), person("industry-reviewer"), database)
        loader = Loader(BulkCases(service), BulkCases(admin), self.args.threads, self.args.chunk)
        statements = profile.StatementLog(server)
        run.note(f"engine on PostgreSQL, job executor off; {self.requests} requests per series and size, one at a "
                 f"time; {DATES}")  # fmt: skip
        before: Size | None = None
        rate = 0.0
        try:
            for size in self.sizes:
                rate = self.one_size(loader, server, clients, statements, before, size, rate)
                before = size
        finally:  # what was measured before a refusal or a fault is still summed up
            if self.p95:
                run.memory([m for m in [*engine.memory(), self.postgres_memory(server)] if m])
                self.growth()
        largest = FULL[-1]
        if before and before.finished < largest.finished:
            plan = growth(before, largest)
            run.note(f"FULL=1 goes on to {largest.label} ({largest.finished:,} finished, {largest.open:,} open): "
                     f"{plan.cases:,} more cases, ~{plan.cases / rate / 60:.0f} min of creation at this run's last "
                     f"rate ({rate:.1f} cases/s)")  # fmt: skip

    def one_size(
        self,
        loader: Loader,
        server: ThrowawayPostgres,
        clients: Clients,
        statements: profile.StatementLog,
        before: Size | None,
        size: Size,
        rate: float,
    ) -> float:
        """Grow the data to ``size``, check it, time every series, profile; return the creation rate."""
        run = self.run
        plan = growth(before, size)
        if rate:
            run.say(f"creating {plan.cases:,} more cases for {size.label}: ~{plan.cases / rate / 60:.0f} min at "
                    f"the rate measured so far ({rate:.1f} cases/s)")  # fmt: skip
        creation = loader.grow(plan, dt.datetime.now(CHINA), f"cases for {size.label}")
        run.note(f"{size.label}: created {creation.text()}")
        self.settle(server, size)
        now = dt.datetime.now(CHINA)
        problems = check_data(clients, size, now)
        if problems:
            raise NoFigure(f"the figures do not count what was created at {size.label}: " + "; ".join(problems))
        run.guard_load()  # the creation's own load has to fall first; another's stops the run
        for item in series(clients, now):
            latencies = sample(item.call, self.requests)
            self.series.setdefault(item.key, item)
            self.p95.setdefault(item.key, {})[size.finished] = latencies
            self.figure(item, size, latencies)
        self.profile(statements, clients, size, now)
        return creation.rate  # fmt: skip

    def settle(self, server: ThrowawayPostgres, size: Size) -> None:
        """ANALYZE (autovacuum would, in time), then count the rows the figures read."""
        server.psql("camunda", "ANALYZE")
        counts = server.psql("camunda", ROWS).split("|")
        tables, _ended, rows, _bytes = (int(v) for v in server.psql("camunda", HISTORY_TABLES).split("|"))
        self.run.note(f"{size.label}: rows after ANALYZE: " + ", ".join(
            f"{name} {int(count):,}" for name, count in zip(ROW_NAMES, counts, strict=True))
            + f"; {rows / (size.finished + size.open):.0f} history rows per case in {tables} act_hi_* tables "
            "(a real case decided directly leaves ~176: these cases are lighter, docs/capacity.md)")  # fmt: skip

    def figure(self, item: Series, size: Size, latencies: Latencies) -> None:
        first = self.sizes[0]
        baseline = self.p95[item.key].get(first.finished) if size != first else None
        self.run.figure(Figure(
            f"{item.name} at {size.label}: p95", latencies.p95, "ms", target=TARGET_MS, better="lower",
            baseline=baseline.p95 if baseline else None, baseline_name=f"p95 at {first.label}", digits=0,
            note=f"p50 {latencies.p50:.0f}, p99 {latencies.p99:.0f}, max {latencies.max:.0f} ms over {latencies.count}",
        ))  # fmt: skip

    def profile(self, statements: profile.StatementLog, clients: Clients, size: Size, now: dt.datetime) -> None:
        """The figures' queries by time, in one request as the manager; the costliest's plans when slow."""
        found, took = statements.capture(lambda: FiguresReader(clients.manager).figures(None, now))
        top = profile.by_query(found)[:5]
        self.run.note(f"{size.label}: one figures request (all time, manager) took {took:.0f} ms, "
                      f"{sum(s.millis for s in found):.0f} ms of it in {len(found)} statements: " + "; ".join(
            f"{name} {total:.0f} ms ({count}×)" for name, total, count in top))  # fmt: skip
        slow = any(by_size[size.finished].p95 >= TARGET_MS for key, by_size in self.p95.items()
                   if self.series[key].plot == "figures")  # fmt: skip
        if not (slow or self.args.explain):
            return
        for name, _total, _count in top[:3]:  # the costliest queries' plans (countByDepartment runs twice)
            for statement in {f.bound(): f for f in found if f.query == name}.values():
                self.run.note(f"{size.label}: {name}, {statement.millis:.0f} ms in the request:\n{statement.bound()}\n"
                              f"{statements.explain(statement)}")  # fmt: skip

    def growth(self) -> None:
        labels = "→".join(size.label for size in self.sizes)
        for key, by_size in self.p95.items():
            values = [by_size[size.finished].p95 for size in self.sizes if size.finished in by_size]
            steps = ", ".join(f"×{b / a:.1f}" for a, b in itertools.pairwise(values) if a)
            self.run.note(f"growth of p95 {labels}: {self.series[key].name}: " + " → ".join(f"{v:.0f}" for v in values)
                          + f" ms ({steps})")  # fmt: skip
        if len(self.sizes) < 2:
            return
        for kind, title in (("figures", "P3 dashboard figures: p95 by finished cases"),
                            ("tasklist", "P3 department task list: p95 by finished cases")):  # fmt: skip
            points = {key: {size: lat.p95 / 1000 for size, lat in by_size.items()}
                      for key, by_size in self.p95.items() if self.series[key].plot == kind}  # fmt: skip
            self.run.plot(kind, title, points, xlabel="finished cases (open: a tenth)", target=TARGET_MS / 1000)

    @staticmethod
    def postgres_memory(server: ThrowawayPostgres):
        try:
            postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return sample_group("PostgreSQL (all backends)", postmaster)


if __name__ == "__main__":
    sys.exit(main())
