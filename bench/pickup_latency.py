"""How fast a new external task is picked up: target p95 well under one second (long polling).

Starts the engine jar (or uses CAMUNDA_URL, which must answer), deploys, bootstraps, runs the workers, starts N
cases as the window and reads from the engine's history how long prepare_acceptance stayed open (creation →
completion: pickup, handler and completion call). Prints the figures and the memory of the engine and workers.

    .venv/bin/python -m bench.pickup_latency [N]      (N: 50, FULL=1: 200)

Exit 1: the engine did not start or does not answer (no figure). Exit 2: the machine is too loaded.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import progress
from bench.common.engine import running_engine
from bench.common.guards import NoFigure
from bench.common.memory import sample
from bench.common.report import BenchRun, Figure
from bench.common.settings import load_bench_settings
from bench.common.stats import Latencies
from devstack.engine_under_test import engine_under_test
from devstack.stack import prepare_database, prepare_engine, worker_env
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.cases import NewCase
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from domain.engine.history import HistoryReader

MEASURED = "prepare_acceptance"  # the first service task of every case
TARGET_MS = 1000


def new_case() -> NewCase:
    """A walk-in application for a demo policy, under a fresh application number."""
    return NewCase(
        application_number=f"HQ-BENCH-{uuid.uuid4().hex[:10].upper()}",
        enterprise_name="福兴科技有限公司",
        credit_code="91350100M000100Y43",
        policy_code="KJ-2026-001",
        guide_version=None,
        contact_name="张三",
        contact_phone="13800000000",
        contact_email=None,
        summary="申请高新技术企业认定奖励",
        payee_bank=None,
        payee_account=None,
        channel="window",
        intake_by="window-clerk",
    )


def measure(run: BenchRun, cases: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, engine_under_test(Path(tmp)) as url:
        workdir = Path(tmp)
        engine = running_engine(url)  # it must answer (CAMUNDA_URL may name one that does not)
        settings = prepare_engine(url)
        history = HistoryReader(EngineClient.as_admin(settings))
        env = worker_env(settings, prepare_database(workdir), workdir)
        workers = WorkersProcess(env, workdir / "workers.log").start()
        try:
            # Cases start as the web UI starts them: the service account (the engine's form guard refuses
            # a start with fields outside the start form from anyone else).
            window = CaseGateway(EngineClient.as_service(settings))
            try:
                wait_for(lambda: "开始服务主题" in workers.log(), "the workers", timeout=60)
            except AssertionError as exc:
                raise NoFigure(f"{exc}: nothing measured") from None
            ids = []
            with progress.bar(cases, "cases started", "case") as bar:
                for _ in range(cases):
                    ids.append(window.start(new_case()))
                    bar.update(1)
                    time.sleep(0.05)  # one at a time: measure pickup, not queueing
            try:
                finished = [
                    wait_for(lambda i=i: history.activity_finished(i, MEASURED), "acceptance preparation", timeout=30)
                    for i in ids
                ]
            except AssertionError as exc:
                raise NoFigure(f"{exc}: no figure.") from None
            durations = [float(activity["durationInMillis"]) for activity in finished]
            assert workers.process is not None
            memory = [*engine.memory(), sample("workers", workers.process.pid)]
        finally:
            workers.stop()
    latency = Latencies.of(durations)
    run.figure(Figure(f"P2 {MEASURED} open time p95 over {cases} cases", latency.p95, "ms", TARGET_MS, better="lower",
                      digits=0, note=latency.text()))  # fmt: skip
    run.memory([m for m in memory if m is not None])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    settings = load_bench_settings()
    cases = int(argv[0]) if argv else settings.pick(50, 200)
    run = BenchRun("pickup_latency", "P2 pickup latency: a new case's first external task, creation → completion",
                   {"cases": cases}, settings)  # fmt: skip
    return run.main(lambda current: measure(current, cases))


if __name__ == "__main__":
    sys.exit(main())
