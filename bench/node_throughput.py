"""Throughput one engine node sustains here: cases/s and external tasks/s through the automated steps.

One engine jar (its job executor off, as in the tests: no timer falls due during a run), N worker processes
(`python -m workers`, default 2) and PostgreSQL under var/bench-postgres (``--embedded``: H2 and SQLite). A driver
keeps ``--in-flight`` cases open: it starts them as the window's case page does (the product's CaseGateway, as
the web UI's service account) and completes their user tasks as the window clerk and the department, with their
forms' fields (one list call per round, one complete call per task), on the shortest whole path — a county
qualification decided directly:
受理审查 → 初步审查 → 作出审查结果 → 签发认定文件 → 确认并反馈企业 (5 user tasks, 9 external tasks per case).
After ``--warmup`` seconds it measures ``--seconds``: the engine's history of every case it started gives the
external tasks completed, the user tasks completed and the cases ended inside that window.

    .venv/bin/python -m bench.node_throughput [--workers 2] [--seconds 30] [--warmup 10] [--in-flight 16]
                                              [--embedded] [--no-build]

``--seconds`` and ``--warmup`` default to 30 and 10 (FULL=1: 90 and 20). The memory of the engine, the worker
processes and PostgreSQL is printed beside the figures.

Exit 1: the engine did not start or stopped answering, or nothing finished in the window (no figure printed).
Exit 2: the machine was too loaded to give a meaningful figure (bench/common/settings.py: BENCH_MAX_LOAD…).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import progress
from bench.common.guards import NoFigure
from bench.common.memory import ProcessMemory, sample, sample_group
from bench.common.report import BenchRun, Figure
from bench.common.settings import load_bench_settings
from bench.history_volume import history_volume
from devstack.engine import ENGINE_JAR, EngineProcess, build_engine, free_port, jar_is_stale
from devstack.postgres import ThrowawayPostgres
from devstack.stack import DEMO_PASSWORD, prepare_database, prepare_engine, worker_env
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.cases import NewCase
from domain.config import PROJECT_ROOT
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from domain.engine.history import HistoryReader
from domain.engine.tasks import OpenTask, TaskGateway
from domain.engine.variables import parse_date
from domain.policies.demo import build_policy
from domain.policies.models import PolicyKind, PolicyLevel

POLICY = "BENCH-QUAL"
MATERIALS = ["惠企政策兑现申请表", "营业执照副本复印件", "近两年财务审计报告"]
WINDOW, DEPARTMENT = "window-clerk", "power-reviewer"
# Each user task of the path: who completes it and with which fields of its form (as Tasklist submits them).
PLAN: dict[str, tuple[str, dict]] = {
    "check_completeness": (WINDOW, {"providedMaterials": [f"M{i:02d}" for i in range(1, len(MATERIALS) + 1)]}),
    "preliminary_review": (DEPARTMENT, {"preliminaryResult": "qualified", "preliminaryOpinion": "材料齐全，符合条件"}),
    "decide": (DEPARTMENT, {"decision": "approved", "decisionOpinion": "予以认定"}),
    "issue_recognition": (DEPARTMENT, {"recognitionTitle": "认定通知"}),
    "confirm_feedback": (WINDOW, {"feedbackChannel": "portal", "feedbackConfirmed": True}),
}
LAST_USER_TASK = "confirm_feedback"
CASE_END = "case_closed"


class UserTasks:
    """What Tasklist does: list every open task of the cases, complete one as its user with its form's fields."""

    def __init__(self, url: str, admin: EngineClient) -> None:
        self.url = url
        self.admin = admin
        self.local = threading.local()  # one HTTP session per thread and user

    def open(self) -> list[OpenTask]:
        return TaskGateway(self.admin).open_tasks_of_cases()

    def complete(self, task: OpenTask) -> None:
        user, fields = PLAN[task.definition_key]
        self.gateway(user).complete(task.id, fields)

    def gateway(self, user: str) -> TaskGateway:
        gateways = self.local.__dict__.setdefault("gateways", {})
        if user not in gateways:
            gateways[user] = TaskGateway(EngineClient(self.url, user, DEMO_PASSWORD, timeout_seconds=30))
        return gateways[user]


def new_case() -> NewCase:
    return NewCase(
        application_number=f"HQ-BENCH-{uuid.uuid4().hex[:10].upper()}",
        enterprise_name="福兴科技有限公司",
        credit_code="91350100M000100Y43",
        policy_code=POLICY,
        guide_version=None,
        contact_name="张三",
        contact_phone="13800000000",
        contact_email=None,
        summary="申请县级资质认定",
        payee_bank=None,
        payee_account=None,
        channel="window",
        intake_by=WINDOW,
    )


def add_bench_policy(database_url: str) -> None:
    database = Database(database_url)
    with database.session_scope() as session:
        session.add(
            build_policy(
                materials=MATERIALS, code=POLICY, name="基准测试：县级资质认定（直接作出结果）",
                department_group="dept-power-supply", kind=PolicyKind.QUALIFICATION, level=PolicyLevel.COUNTY,
            )
        )  # fmt: skip
    database.dispose()


def drive(tasks: UserTasks, start: Callable[[], str], args: argparse.Namespace) -> tuple[list[str], dt.datetime]:
    """Keep args.in_flight cases open until the window ends; return the cases started and the window's start."""
    started: list[str] = []
    confirmed = 0
    begin = time.monotonic()
    window_start = None
    with ThreadPoolExecutor(max_workers=4) as pool, progress.clock(args.warmup + args.seconds, "driving") as timer:
        while time.monotonic() < begin + args.warmup + args.seconds:
            timer.tick()
            if window_start is None and time.monotonic() >= begin + args.warmup:
                window_start = dt.datetime.now(dt.UTC)
            open_tasks = [t for t in tasks.open() if t.definition_key in PLAN]
            confirmed += sum(t.definition_key == LAST_USER_TASK for t in open_tasks)
            starts = [pool.submit(start) for _ in range(args.in_flight - (len(started) - confirmed))]
            for done in [pool.submit(tasks.complete, t) for t in open_tasks]:
                done.result()
            started += [s.result() for s in starts]
            if not open_tasks:
                time.sleep(0.2)
    assert window_start is not None
    return started, window_start


def measure(history: HistoryReader, cases: list[str], window: tuple[dt.datetime, dt.datetime]) -> Counter:
    """Count, from the engine's history, what ended inside the window (and the external tasks per ended case)."""
    counts: Counter = Counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        for activities in pool.map(history.activities, cases):
            ended = {a["activityId"] for a in activities if a.get("endTime")}
            for activity in activities:
                end = parse_date(activity.get("endTime"))
                if end is not None and window[0] <= end < window[1]:
                    counts[activity["activityType"]] += 1
                    counts["case_end"] += activity["activityId"] == CASE_END
            if CASE_END in ended:
                counts["ended_cases"] += 1
                counts["ended_case_external_tasks"] += sum(a["activityType"] == "serviceTask" for a in activities)
    return counts


def memory_of(engine: EngineProcess, workers: list[WorkersProcess], server: ThrowawayPostgres | None) -> list:
    """The engine's (with its JVM heap), each worker process's and PostgreSQL's (all its processes) memory."""
    found: list[ProcessMemory | None] = []
    if engine.process is not None:
        found.append(sample("engine (JVM)", engine.process.pid, jvm=True))
    found += [sample(f"workers {n}", p.process.pid) for n, p in enumerate(workers) if p.process is not None]
    postmaster = server.data / "postmaster.pid" if server is not None else None
    if postmaster is not None and postmaster.exists():
        found.append(sample_group("PostgreSQL (all processes)", int(postmaster.read_text().split()[0])))
    return [m for m in found if m is not None]


def run(bench: BenchRun, args: argparse.Namespace, workdir: Path, server: ThrowawayPostgres | None) -> None:
    database_env = None
    app_url = None
    if server is not None:
        server.create_database("camunda")
        database_env = server.engine_env("camunda")
        app_url = server.create_database("huiqi")
    if not args.no_build:
        build_engine()
    elif jar_is_stale():
        print(f"note: {ENGINE_JAR.name} is older than the engine's sources (--no-build: run as built)")
    engine = EngineProcess(
        free_port(), workdir / "engine", workdir / "engine.log",
        env={"ENGINE_JOB_EXECUTION": "false", **(database_env or {})},
    )  # fmt: skip
    engine.start()
    workers: list[WorkersProcess] = []
    try:
        settings = prepare_engine(engine.rest_url)
        admin = EngineClient.as_admin(settings)
        app_url = prepare_database(workdir, app_url)
        add_bench_policy(app_url)
        env = worker_env(settings, app_url, workdir)
        workers = [
            WorkersProcess({**env, "WORKER_ID": f"bench-w{n}"}, workdir / f"workers-{n}.log").start()
            for n in range(args.workers)
        ]
        for process in workers:
            wait_for(lambda p=process: "开始服务主题" in p.log(), "the workers to serve", timeout=60)
        window = CaseGateway(EngineClient.as_service(settings))  # the window's case page starts it as the web UI
        cases, window_start = drive(UserTasks(engine.rest_url, admin), lambda: window.start(new_case()), args)
        window_end = dt.datetime.now(dt.UTC)
        counts = measure(HistoryReader(admin), cases, (window_start, window_end))
        volume = history_volume(server, counts) if server is not None else "history volume: measured on PostgreSQL only"
        memory = memory_of(engine, workers, server)
    finally:
        for process in workers:
            process.stop()
        errors = sum(p.log().count(" ERROR ") for p in workers)
        engine.stop()
    seconds = (window_end - window_start).total_seconds()
    if counts["case_end"] == 0 or counts["serviceTask"] == 0:
        raise NoFigure(f"nothing finished in the {seconds:.0f} s window (worker errors logged: {errors}): no figure.")
    bench.say(f"measured {window_start:%Y-%m-%d %H:%M} UTC over {seconds:.1f} s after a {args.warmup:.0f} s warm-up; "
          f"{len(cases)} cases started, {args.in_flight} kept in flight")  # fmt: skip
    bench.say(f"cases finished:           {counts['case_end']:5d}  = {counts['case_end'] / seconds:.2f} cases/s")
    bench.say(f"external tasks completed: {counts['serviceTask']:5d}  = {counts['serviceTask'] / seconds:.1f} tasks/s "
          f"({counts['ended_case_external_tasks'] / max(counts['ended_cases'], 1):.1f} per ended case)")  # fmt: skip
    bench.say(f"user tasks completed:     {counts['userTask']:5d}  = {counts['userTask'] / seconds:.1f} tasks/s "
          "(by the driver)")  # fmt: skip
    bench.say(f"per worker process:       {counts['serviceTask'] / seconds / args.workers:.1f} external tasks/s; "
          f"worker errors logged: {errors}")  # fmt: skip
    bench.say(volume)
    rate = counts["serviceTask"] / seconds
    bench.figure(
        Figure(
            "node external tasks/s (target: the county's peak hour, docs/capacity.md)",
            rate,
            "tasks/s",
            0.06,
            digits=1,
            note=f"the province's peak hour, 21 tasks/s: this node gives {rate / 21:.0%}",
        )
    )
    bench.figure(Figure("node cases finished/s", counts["case_end"] / seconds, "cases/s", digits=2))
    bench.memory(memory)


def main(argv: list[str] | None = None) -> int:
    settings = load_bench_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seconds, warmup = settings.pick(30, 90), settings.pick(10, 20)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seconds", type=float, default=seconds, help=f"measured window (default {seconds})")
    parser.add_argument("--warmup", type=float, default=warmup, help=f"seconds before the window (default {warmup})")
    parser.add_argument("--in-flight", type=int, default=16, help="cases kept open at once (default 16)")
    parser.add_argument("--embedded", action="store_true", help="H2 for the engine, SQLite for the app")
    parser.add_argument("--no-build", action="store_true", help="run the engine jar as built, never build it")
    args = parser.parse_args(argv)
    database = "H2 + SQLite (embedded)" if args.embedded else "PostgreSQL (throwaway under var/, fsync off)"
    title = (f"node throughput: 1 engine node, {args.workers} worker processes, {database}; path 受理审查 → 初步审查 → "
             "作出审查结果 → 签发认定文件 → 确认并反馈企业 (county qualification, decided directly)")  # fmt: skip
    bench = BenchRun("node_throughput", title, vars(args), settings)
    return bench.main(lambda current: with_database(current, args))


def with_database(bench: BenchRun, args: argparse.Namespace) -> None:
    server = None
    try:
        if not args.embedded:
            server = ThrowawayPostgres(PROJECT_ROOT / "var" / "bench-postgres").start()
        with tempfile.TemporaryDirectory() as tmp:
            run(bench, args, Path(tmp), server)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
