"""`python -m bench.webui_load`: engine, workers, gunicorn; pages under load, then submits; figures and memory."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import bench.webui_load
from bench.common import progress
from bench.common.engine import engine_jar
from bench.common.guards import NoFigure
from bench.common.memory import sample
from bench.common.report import BenchRun, Figure
from bench.common.settings import BenchSettings, load_bench_settings
from bench.common.stats import Latencies
from bench.pickup_latency import new_case
from bench.webui_load import submit
from bench.webui_load.generator import LoadResult, load
from bench.webui_load.server import Gunicorn, production_env
from devstack.engine import StackError, free_port
from devstack.postgres import ThrowawayPostgres
from devstack.stack import prepare_database, prepare_engine, worker_env
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.config import PROJECT_ROOT, EngineSettings
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.bulk import BulkCases
from domain.engine.cases import CaseGateway

PAGE_TARGET = 500.0  # req/s, on an idle two-core machine (issue 14, P4)
SUBMIT_TARGET = 200.0  # ms, p95
MAX_ERROR_SHARE = 0.01


def parse(argv: list[str] | None, settings: BenchSettings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=bench.webui_load.__doc__.splitlines()[0])
    pick = settings.pick
    for option, kind, default, meaning in (
        ("--levels", str, "1,4,16,64", "connections kept busy, one run each"),
        ("--seconds", float, pick(5.0, 20.0), "measured seconds of each run"),
        ("--warmup", float, pick(1.0, 3.0), "seconds before each run's window"),
        ("--guide", str, "GX-2026-001", "the guide page's policy (and the policy applied for)"),
        ("--enterprises", int, pick(8, 20), "enterprises that submit"),
        ("--rate", float, 2.0, "submits a second arriving at random (the province's peak hour: 1.7/s)"),
        ("--arrivals", int, pick(60, 240), "submits arriving at that rate (the target's figure)"),
        ("--warm-cases", int, pick(200, 500), "cases started before any submit is timed (the engine's JIT)"),
        ("--per-enterprise", int, pick(4, 10), "applications each enterprise submits back to back"),
        ("--parallel", int, 2, "enterprises submitting back to back at once (the node's limit)"),
        ("--file-kb", int, 500, "size of each material's PDF"),
    ):
        parser.add_argument(option, type=kind, default=default, help=f"{meaning} (default {default})")
    parser.add_argument("--no-build", action="store_true", help="run the engine jar as built, never build it")
    parser.add_argument("--database", choices=("embedded", "postgresql"), default="embedded",
                        help="the embedded H2 and SQLite of `make run` (default), or both databases on a throwaway "
                             "PostgreSQL as production runs them (its server shares the two cores)")  # fmt: skip
    return parser.parse_args(argv)


def calibrate(size: int, connections: int) -> float:
    """The generator's req/s against a server that answers at once with ``size`` bytes (its ceiling here)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.webui_load.fixed_server", str(port), str(size)],
                              cwd=PROJECT_ROOT)  # fmt: skip
    try:
        time.sleep(1.0)
        return load(f"http://127.0.0.1:{port}", ["/"], connections, seconds=2.0, warmup=0.5).rate
    finally:
        server.terminate()
        server.wait(timeout=10)


def page_runs(run: BenchRun, base: str, name: str, path: str, args: argparse.Namespace) -> dict[int, LoadResult]:
    results = {}
    for level in (int(n) for n in args.levels.split(",")):
        with progress.clock(args.warmup + args.seconds, f"{name}, {level} connections") as timer:
            result = load(base, [path], level, args.seconds, args.warmup, progress=timer.tick)
        attempts = len(result.latencies_ms) + result.errors
        if not result.latencies_ms or result.errors > MAX_ERROR_SHARE * attempts:
            raise NoFigure(f"{name} ({path}): {result.errors} of {attempts} requests failed at {level} connections "
                           f"(statuses {result.statuses}): no figure.")  # fmt: skip
        latency = Latencies.of(result.latencies_ms)
        run.say(f"  {name} {path}, {level:3d} connections: {result.rate:7.1f} req/s, {latency.text()}; "
                f"generator CPU {result.cpu_share:.0%} of a core")  # fmt: skip
        results[level] = result
    return results


def pages(run: BenchRun, base: str, args: argparse.Namespace, ceiling: float) -> None:
    measured = {
        "catalogue": page_runs(run, base, "catalogue", "/policies", args),
        "guide": page_runs(run, base, "guide", f"/policies/{args.guide}", args),
    }
    for name, results in measured.items():
        level, best = max(results.items(), key=lambda item: item[1].rate)
        p95 = Latencies.of(best.latencies_ms).p95
        run.figure(Figure(f"P4 {name} throughput (best level: {level} connections)", best.rate, "req/s", PAGE_TARGET))
        run.figure(Figure(f"P4 {name} p95 at {level} connections", p95, "ms", digits=0))
        if best.rate > 0.8 * ceiling or best.cpu_share > 0.5:
            run.note(f"  the generator may be the bottleneck for {name}: {best.rate:.0f} req/s against its ceiling "
                     f"{ceiling:.0f} req/s, {best.cpu_share:.0%} of a core")  # fmt: skip
    run.plot("pages-rate", "P4 web UI pages under gunicorn: throughput",
             {name: {level: r.rate for level, r in results.items()} for name, results in measured.items()},
             xlabel="connections kept busy", ylabel="req/s", target=PAGE_TARGET)  # fmt: skip
    run.plot("pages-p95", "P4 web UI pages under gunicorn: p95 latency",
             {name: {level: Latencies.of(r.latencies_ms).p95 for level, r in results.items()}
              for name, results in measured.items()},
             xlabel="connections kept busy", ylabel="p95 (ms)")  # fmt: skip


def warm_up(run: BenchRun, base: str, engine_settings: EngineSettings, enterprises: list[submit.Enterprise],
            policy: str, content: bytes, cases: int) -> None:  # fmt: skip
    """Not timed: ``cases`` cases started through the engine's API, one submit by each enterprise through the web UI,
    then until the workers have taken up every case. An engine just started interprets its code until the JIT has
    compiled it (its first hundreds of cases cost twice the CPU); a county's engine has run for weeks."""
    gateway = CaseGateway(EngineClient.as_service(engine_settings))
    with progress.bar(cases, "warm-up", "case") as bar, ThreadPoolExecutor(2) as pool:
        for _ in pool.map(lambda _: gateway.start(new_case(), first=True), range(cases)):
            bar.update(1)
    for enterprise in enterprises:  # each web UI process's first submit, each path's first use
        submit.submit(base, enterprise, policy, content)
    admin = EngineClient.as_admin(engine_settings)
    try:
        wait_for(lambda: BulkCases(admin).external_tasks_count() == 0, "the workers to take up the warm-up cases",
                 timeout=300)  # fmt: skip
    except AssertionError as exc:
        raise NoFigure(f"{exc}: nothing measured.") from None
    finally:
        admin.close()
    run.say(f"warm-up (not timed): {cases} cases started, {len(enterprises)} submits, every case taken up")


def submits(run: BenchRun, base: str, database_url: str, engine_settings: EngineSettings,
            args: argparse.Namespace) -> None:  # fmt: skip
    database = Database(database_url)
    try:
        codes = submit.sign_up(database, args.enterprises)
        enterprises = [submit.log_in(base, code, n) for n, code in enumerate(codes)]
        content = submit.pdf(args.file_kb * 1024)
        warm_up(run, base, engine_settings, enterprises, args.guide, content, args.warm_cases)
        with progress.bar(args.arrivals, "submits arriving", "submit") as bar:
            began = time.perf_counter()
            arriving = submit.run_arrivals(base, enterprises, args.guide, content, args.rate, args.arrivals,
                                           progress=lambda: bar.update(1))  # fmt: skip
            span = time.perf_counter() - began
        back_to_back = args.enterprises * args.per_enterprise
        with progress.bar(back_to_back, "submits back to back", "submit") as bar:
            began = time.perf_counter()
            saturated = submit.run_submits(base, enterprises, args.guide, args.per_enterprise, content,
                                           args.parallel, progress=lambda: bar.update(1))  # fmt: skip
            saturated_span = time.perf_counter() - began
        filed, started = submit.cases_started(database, codes)
    finally:
        database.dispose()
    expected = len(enterprises) + args.arrivals + back_to_back
    if filed != expected or started != filed:
        raise NoFigure(f"{expected} applications submitted, {filed} filed, {started} of them started in the engine: "
                       "no figure.")  # fmt: skip
    files = f"{args.file_kb} kB"
    latency = Latencies.of(arriving)
    run.figure(Figure(f"P4 online submit p95 ({args.arrivals} submits arriving at random, {args.rate:g}/s; "
                      f"each material a {files} PDF)", latency.p95, "ms", SUBMIT_TARGET, better="lower", digits=0,
                      note=f"{latency.text()}, timed from each arrival; {args.arrivals / span:.2f} submits/s "
                           "over the run; every case started in the engine"))  # fmt: skip
    latency = Latencies.of(saturated)
    run.figure(Figure(f"P4 online submit p95 at the node's limit ({back_to_back} submits, {args.parallel} "
                      f"enterprises back to back)", latency.p95, "ms", digits=0,
                      note=f"{latency.text()}; {back_to_back / saturated_span:.1f} submits/s, every core busy: "
                           "a load, not a target"))  # fmt: skip


def engine_starts(run: BenchRun, engine_settings: EngineSettings, count: int) -> None:
    """What of a submit is the engine's: the same start call the intake makes (the service account), alone: a
    case filed just now, so no earlier start is looked for (domain/applications/intake.py)."""
    gateway = CaseGateway(EngineClient.as_service(engine_settings))
    times = []
    for _ in range(count):
        sent = time.perf_counter()
        gateway.start(new_case(), first=True)
        times.append((time.perf_counter() - sent) * 1000)
    run.note(f"  of a submit, the engine's case start alone ({count} in turn): {Latencies.of(times).text()}")


@contextmanager
def databases(workdir: Path, kind: str) -> Iterator[tuple[dict[str, str] | None, str | None]]:
    """(the engine's database environment, the application database's URL): None, None for the embedded ones."""
    if kind == "embedded":
        yield None, None
        return
    try:
        server = ThrowawayPostgres(PROJECT_ROOT / "var" / "bench-webui-postgres")
    except StackError as exc:
        raise NoFigure(f"PostgreSQL is not installed (tools/ensure-postgres): nothing measured. {exc}") from exc
    server.start()
    try:
        server.create_database("camunda")
        yield server.engine_env("camunda"), server.create_database("huiqi")
    finally:
        server.stop()


def measure(run: BenchRun, args: argparse.Namespace) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        databases(Path(tmp), args.database) as (engine_env, app_url),
        engine_jar(Path(tmp), build=not args.no_build, env=engine_env) as engine,
    ):
        workdir = Path(tmp)
        run.say(f"engine at {engine.url}; databases: {args.database}")
        engine_settings = prepare_engine(engine.url)
        database_url = prepare_database(workdir, app_url)
        workers = WorkersProcess(worker_env(engine_settings, database_url, workdir), workdir / "workers.log").start()
        server = Gunicorn(production_env(database_url, engine.url, workdir / "var"), workdir / "gunicorn.log")
        try:
            try:
                wait_for(lambda: "开始服务主题" in workers.log(), "the workers to serve", timeout=60)
            except AssertionError as exc:
                raise NoFigure(f"{exc}: nothing measured.\n{workers.log()[-2000:]}") from None
            server.start()
            from webui import gunicorn_conf  # the same defaults gunicorn read: its processes and threads

            server.wait_for_workers(gunicorn_conf.workers)
            shape = f"{len(server.workers())} processes × {gunicorn_conf.threads} threads"
            run.say(f"gunicorn: {shape} at {server.base_url}")
            ceiling = calibrate(5000, max(int(n) for n in args.levels.split(",")))
            run.note(f"load generator ceiling (a fixed 5 kB answer, same machine): {ceiling:.0f} req/s")
            pages(run, server.base_url, args, ceiling)
            submits(run, server.base_url, database_url, engine_settings, args)
            engine_starts(run, engine_settings, 20)
            assert workers.process is not None
            worker_memory = sample("workers", workers.process.pid)
            run.memory([*engine.memory(), *([worker_memory] if worker_memory else []), *server.memory()])
        finally:
            server.stop()
            workers.stop()


def main(argv: list[str] | None = None) -> int:
    settings = load_bench_settings()
    args = parse(argv, settings)
    run = BenchRun("webui_load", "P4 web UI under gunicorn: catalogue and guide page, online submit", vars(args),
                   settings)  # fmt: skip
    return run.main(lambda current: measure(current, args))


if __name__ == "__main__":
    sys.exit(main())
