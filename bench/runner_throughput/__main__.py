"""`python -m bench.runner_throughput`: start the engine, deploy the benchmark's BPMN, measure P1 and P2, print."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import requests
from camunda.client.engine_client import EngineClient as LibraryEngineClient

import bench.runner_throughput
from bench.common.engine import running_engine
from bench.common.guards import NoFigure
from bench.common.memory import ProcessMemory, sample
from bench.common.report import BenchRun, Figure
from bench.common.settings import load_bench_settings
from bench.common.stats import percentile
from bench.runner_throughput.serving import TOPIC
from devstack.engine_under_test import engine_from_jar
from devstack.stack import prepare_engine
from domain.config import PROJECT_ROOT
from domain.engine import EngineClient
from domain.engine.deployment import deploy
from domain.engine.variables import parse_date

CHAIN, SINGLE = "bench_runner_chain", "bench_runner_single"
KINDS = {"runner": "runner", "plain": "plain loop"}


def diagram(length: int) -> str:
    """The benchmark's processes: a chain of ``length`` external tasks, and a single one."""

    def process(key: str, tasks: int) -> str:
        steps = [f"{key}_start", *(f"{key}_task{n}" for n in range(1, tasks + 1)), f"{key}_end"]
        nodes = [f'<bpmn:serviceTask id="{s}" camunda:type="external" camunda:topic="{TOPIC}"/>' for s in steps[1:-1]]
        flows = [f'<bpmn:sequenceFlow id="{a}_out" sourceRef="{a}" targetRef="{b}"/>' for a, b in pairwise(steps)]
        return (
            f'<bpmn:process id="{key}" isExecutable="true" camunda:historyTimeToLive="P1D"><bpmn:startEvent '
            f'id="{steps[0]}"/>{"".join(nodes)}<bpmn:endEvent id="{steps[-1]}"/>{"".join(flows)}</bpmn:process>'
        )

    return ('<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions id="bench_runner" targetNamespace="http://bench" '
            'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">'
            f"{process(CHAIN, length)}{process(SINGLE, 1)}</bpmn:definitions>")  # fmt: skip


class Workers:
    """``processes`` worker processes of one kind (serving.py); their progress, and their notes once stopped."""

    def __init__(self, kind: str, processes: int, env: dict[str, str], workdir: Path) -> None:
        self.kind, self.done, self.rows, self.children, self.readers = kind, [None] * processes, [], [], []
        self.logs = [workdir / f"{kind}-{n}.log" for n in range(processes)]
        for n in range(processes):
            with self.logs[n].open("ab") as log:
                self.children.append(subprocess.Popen(
                    [sys.executable, "-m", "bench.runner_throughput.serving", kind], cwd=PROJECT_ROOT,
                    env={**os.environ, **env, "WORKER_ID": f"bench-{kind}-{n}"}, stdout=subprocess.PIPE, stderr=log,
                ))  # fmt: skip
            self.readers.append(threading.Thread(target=self._read, args=(n,), daemon=True))
            self.readers[-1].start()

    def _read(self, n: int) -> None:
        for line in self.children[n].stdout:
            note = json.loads(line)
            self.done[n] = note["done"]
            self.rows += note["rows"] or []

    def wait(self, tasks: int, timeout: float = 600) -> None:
        """Wait until every process serves (tasks 0) or they completed ``tasks``; raise NoFigure if they do not."""
        deadline, said = time.monotonic() + timeout, time.monotonic()
        while None in self.done or sum(self.done) < tasks:
            if time.monotonic() > deadline or any(child.poll() is not None for child in self.children):
                codes = [child.poll() for child in self.children]
                tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-15:] for log in self.logs)
                done = sum(d or 0 for d in self.done)
                raise NoFigure(f"the {KINDS[self.kind]} did not complete {tasks} tasks ({done} done, exit codes "
                               f"{codes}): no figure. Its log ends:\n{tail}")  # fmt: skip
            if time.monotonic() - said >= 10:
                said = time.monotonic()
                print(f"    … {KINDS[self.kind]}: {sum(d or 0 for d in self.done)}/{tasks} tasks", flush=True)
            time.sleep(0.1)

    def memory(self) -> list[ProcessMemory]:
        found = [sample(f"{KINDS[self.kind]} {n}", child.pid) for n, child in enumerate(self.children)]
        return [memory for memory in found if memory is not None]

    def stop(self) -> list[list]:
        """SIGTERM (the runner's clean stop), wait; return every completed task's notes."""
        for child in self.children:
            child.terminate()
        for child, reader in zip(self.children, self.readers, strict=True):
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            reader.join(timeout=10)
        return self.rows


def measure(run: BenchRun, args: argparse.Namespace, workdir: Path) -> None:
    memory: list[ProcessMemory] = []  # each kind's processes at the end of their last run, then the engine's
    with engine_from_jar(workdir) as url:
        engine = running_engine(url)
        settings = prepare_engine(url)
        (workdir / "bench_runner.bpmn").write_text(diagram(args.length), encoding="utf-8")
        deploy(EngineClient.as_admin(settings), [workdir / "bench_runner.bpmn"], name="bench-runner-throughput")
        start_url, admin, local = LibraryEngineClient(url).get_start_process_instance_url, settings, threading.local()
        env = {"CAMUNDA_URL": url, "CAMUNDA_USER": settings.worker_user, "CAMUNDA_PASSWORD": settings.worker_password,
               "WORKER_MAX_TASKS": str(args.max_tasks), "WORKER_LONG_POLL_MS": str(args.long_poll_ms),
               "HUIQI_VAR_DIR": str(workdir / "var"), "PYTHONUNBUFFERED": "1"}  # fmt: skip

        def start(key: str) -> None:
            """One case of a benchmark process, as the engine's admin (the workers' account may not start one); its
            own business key, or the engine takes it for a double click (FormFieldGuard)."""
            session = local.__dict__.setdefault("session", requests.Session())
            auth, case = (admin.admin_user, admin.admin_password), {"businessKey": f"BENCH-{uuid.uuid4().hex[:12]}"}
            session.post(start_url(key), json=case, auth=auth, timeout=30).raise_for_status()

        def drain(kind: str, chains: int) -> float:
            """Start the chains, then let ``kind`` drain them; tasks/s over the middle 80 % of the completions."""
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(start, [CHAIN] * chains))
            workers = Workers(kind, args.processes, env, workdir)
            try:
                workers.wait(chains * args.length)
            finally:
                done = sorted(row[2] for row in workers.stop())
            first, last = len(done) // 10, len(done) - len(done) // 10 - 1
            return (last - first) / (done[last] - done[first])

        def pickup(kind: str, rate: float, count: int) -> list[float]:
            """One-task cases at a steady rate while ``kind`` serves; each one's creation → pickup, in ms."""
            workers = Workers(kind, args.processes, env, workdir)
            try:
                workers.wait(0, timeout=60)
                time.sleep(1)  # their first polls are out
                begin, started = time.monotonic(), []
                with ThreadPoolExecutor(4) as pool:
                    for n in range(count):
                        time.sleep(max(0.0, begin + n / rate - time.monotonic()))
                        started.append(pool.submit(start, SINGLE))
                for case in started:
                    case.result()
                workers.wait(count, timeout=120)
                memory.extend(workers.memory())
            finally:
                rows = workers.stop()
            return [(picked - parse_date(created).timestamp()) * 1000 for created, picked, _done in rows]

        print("  warm-up: one drain of each kind, not counted (the engine's JIT warms up over thousands of tasks) …",
              flush=True)  # fmt: skip
        for kind in KINDS:
            drain(kind, args.chains)
        rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for round_ in range(args.rounds):
            for kind in list(KINDS)[:: 1 if round_ % 2 else -1]:
                rates[kind].append(drain(kind, args.chains))
            print(f"  P1 round {round_ + 1}/{args.rounds}: "
                  + ", ".join(f"{KINDS[k]} {rates[k][-1]:.1f} tasks/s" for k in KINDS), flush=True)  # fmt: skip
        runner, plain = (statistics.median(rates[kind]) for kind in KINDS)
        rate = min(args.rate, plain / 2)
        count = int(rate * args.seconds)
        print(f"  P2: one-task cases at {rate:.1f}/s for {args.seconds:.0f} s, each kind …", flush=True)
        (r50, r99), (p50, p99) = (
            (percentile(latency, 0.5), percentile(latency, 0.99))
            for latency in (pickup(kind, rate, count) for kind in KINDS)
        )
        errors = sum(log.read_text(errors="replace").count(" ERROR ") for log in workdir.glob("runner-*.log"))
        memory = [*engine.memory(), *memory]
    run.figure(
        Figure(
            f"P1 runner throughput (median of {args.rounds} rounds, {args.chains} chains × {args.length} tasks)",
            runner,
            "tasks/s",
            0.8,
            baseline=plain,
            baseline_name="plain loop",
            on="ratio",
        )
    )
    run.figure(Figure(f"P2 runner pickup latency p99 ({count} tasks at {rate:.1f}/s)", r99, "ms", 100, better="lower",
                      baseline=p99, baseline_name="plain loop p99", digits=0,
                      note=f"p50: runner {r50:.0f} ms, plain loop {p50:.0f} ms"))  # fmt: skip
    run.note(f"runner errors logged: {errors}")
    run.memory(memory)


def main(argv: list[str] | None = None) -> int:
    settings = load_bench_settings()
    parser = argparse.ArgumentParser(description=bench.runner_throughput.__doc__.splitlines()[0])
    for option, kind, default, meaning in (
        ("--processes", int, 1, "worker processes of each kind"),
        ("--max-tasks", int, 8, "maxTasks of both kinds (WORKER_MAX_TASKS)"),
        ("--long-poll-ms", int, 2000, "long poll of both kinds"),
        ("--chains", int, 64, "P1: chains started before a drain"),
        ("--length", int, 40, "P1: external tasks per chain"),
        ("--rounds", int, settings.pick(2, 3), "P1: drains of each kind, alternating"),
        ("--rate", float, 20, "P2: cases started per second (at most half the plain loop's throughput)"),
        ("--seconds", float, settings.pick(15, 30), "P2: how long they are started"),
    ):
        parser.add_argument(option, type=kind, default=default, help=f"{meaning} (default {default})")
    args = parser.parse_args(argv)
    title = (
        f"runner throughput: engine jar on H2 (job executor off), {args.processes} worker process(es) of each "
        f"kind, maxTasks {args.max_tasks}, long poll {args.long_poll_ms} ms, a handler that does nothing"
    )
    run = BenchRun("runner_throughput", title, vars(args), settings)

    def measured(current: BenchRun) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            measure(current, args, Path(tmp))

    return run.main(measured)


if __name__ == "__main__":
    sys.exit(main())
