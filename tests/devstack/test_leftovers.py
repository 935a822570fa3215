"""`make run` stops what a killed run left running — and nothing else (devstack/leftovers.py).

Real processes: stand-ins whose command lines are exactly those make run starts (`java … -jar
…/huiqi-engine.jar`, `python -m workers`, `python -m webui`, `python -m devstack`), listening on ports
like the real ones, and unrelated processes whose pids a record names.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.__main__ import Stack
from devstack.engine import ENGINE_JAR, StackError, free_port, port_in_use, require_free_port
from devstack.leftovers import RunRecords, start_time
from devstack.waiting import wait_for

# Listens on STANDIN_PORT when given (as the engine and the web UI hold theirs); ignores SIGTERM when
# STANDIN_STUBBORN is set (a process that only SIGKILL ends); then waits to be stopped.
STANDIN = textwrap.dedent(
    """
    import os, signal, socket, time
    if os.environ.get("STANDIN_STUBBORN"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if os.environ.get("STANDIN_PORT"):
        listener = socket.socket()
        listener.bind(("127.0.0.1", int(os.environ["STANDIN_PORT"])))
        listener.listen()
    time.sleep(120)
    """
)
FAST = {"engine": 5.0, "workers": 1.0, "webui": 5.0}  # grace before SIGKILL, shortened for the test


class Processes:
    """Processes started for one test; whatever is still running at the end is killed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.started: list[subprocess.Popen] = []
        for module in ("workers", "webui", "devstack"):  # `python -m <module>` runs these, from root
            (root / module).mkdir()
            (root / module / "__main__.py").write_text(STANDIN)
        (root / "java").symlink_to(sys.executable)  # argv[0] "…/java", running the stand-in

    def start(self, argv: list[str], **env: str) -> subprocess.Popen:
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        process = subprocess.Popen(
            argv, cwd=self.root, env={**environment, **env}, start_new_session=True,  # as make run starts them
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.started.append(process)
        wait_for(lambda: start_time(process.pid) is not None, "the process to run", timeout=10)
        if "STANDIN_PORT" in env:
            wait_for(lambda: port_in_use(int(env["STANDIN_PORT"])), "the process to listen", timeout=10)
        return process

    def engine(self, **env: str) -> subprocess.Popen:
        return self.start([str(self.root / "java"), "-c", STANDIN, "-jar", str(ENGINE_JAR)], **env)

    def module(self, name: str, **env: str) -> subprocess.Popen:
        return self.start([sys.executable, "-m", name], **env)

    def unrelated(self, **env: str) -> subprocess.Popen:
        return self.start([sys.executable, "-c", STANDIN], **env)

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    (tmp_path / "standins").mkdir()
    started = Processes(tmp_path / "standins")
    yield started
    started.kill_all()


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def records(tmp_path: Path, said: list[str]) -> RunRecords:
    return RunRecords(tmp_path / "run", say=said.append)


def record(records: RunRecords, name: str, process: subprocess.Popen) -> None:
    records.record(name, process.pid, process.args)


def exit_code(process: subprocess.Popen) -> int:
    return process.wait(timeout=10)


def test_the_engine_workers_and_web_ui_of_a_killed_run_are_stopped(processes, records, said):
    engine_port, webui_port = free_port(), free_port()
    engine = processes.engine(STANDIN_PORT=str(engine_port))
    workers = processes.module("workers", STANDIN_STUBBORN="1")  # only SIGKILL ends it
    webui = processes.module("webui", STANDIN_PORT=str(webui_port))
    supervisor = processes.module("devstack")
    for name, process in (("engine", engine), ("workers", workers), ("webui", webui), ("devstack", supervisor)):
        record(records, name, process)
    supervisor.kill()  # the earlier make run, killed: its children live on and hold the ports
    exit_code(supervisor)
    assert port_in_use(engine_port) and port_in_use(webui_port)

    stopped = records.stop_leftovers(grace=FAST)

    assert {r.name for r in stopped} == {"engine", "workers", "webui"}
    assert exit_code(engine) == -signal.SIGTERM and exit_code(webui) == -signal.SIGTERM
    assert exit_code(workers) == -signal.SIGKILL
    assert said == [
        f"已停止上次 make run 遗留的网页服务（进程 {webui.pid}，已发送 SIGTERM）。",
        f"已停止上次 make run 遗留的工作进程（进程 {workers.pid}，未响应 SIGTERM，已强制结束）。",
        f"已停止上次 make run 遗留的流程引擎（进程 {engine.pid}，已发送 SIGTERM）。",
    ]
    require_free_port(engine_port, "流程引擎", "ENGINE_PORT")  # the new run may start its engine
    require_free_port(webui_port, "网页服务", "WEBUI_PORT")
    assert list(records.directory.iterdir()) == []


def test_a_recorded_pid_that_is_now_another_program_is_left_alone(processes, records, said):
    """The pid now names someone else's process: a different command line, or the same one started later."""
    port = free_port()
    stranger = processes.unrelated(STANDIN_PORT=str(port))  # holds the port the web UI wants
    records.record("webui", stranger.pid, [sys.executable, "-m", "webui"])  # what the killed run had at this pid
    twin = processes.module("workers")  # our command line, but not the process the killed run started
    records.record("workers", twin.pid, twin.args)
    path = records.directory / "workers.json"
    path.write_text(path.read_text().replace(f'"started": {start_time(twin.pid)}', '"started": 1'))
    record(records, "engine", processes.module("workers"))  # a record whose process is not what its name says

    assert records.stop_leftovers(grace=FAST) == []

    assert said == []
    assert all(process.poll() is None for process in processes.started)
    with pytest.raises(StackError, match=f"端口 {port} 已被占用，网页服务无法启动.*WEBUI_PORT"):
        require_free_port(port, "网页服务", "WEBUI_PORT")  # the clear error, as before
    assert list(records.directory.iterdir()) == []  # stale records dropped


def test_a_run_that_is_still_going_is_named_not_stopped(processes, records, said):
    supervisor = processes.module("devstack")
    workers = processes.module("workers")
    record(records, "devstack", supervisor)
    record(records, "workers", workers)

    with pytest.raises(StackError, match=f"另一个 make run 仍在运行（进程 {supervisor.pid}）"):
        records.stop_leftovers(grace=FAST)

    assert supervisor.poll() is None and workers.poll() is None
    assert said == []
    assert {p.name for p in records.directory.iterdir()} == {"devstack.json", "workers.json"}


def test_a_clean_stop_leaves_no_records(tmp_path, monkeypatch, processes):
    """Stack records this run and each child it spawns, and drops every record when it stops them."""
    monkeypatch.setenv("HUIQI_VAR_DIR", str(tmp_path / "var"))
    stack = Stack()
    stack.claim()
    stack._spawn("workers", [sys.executable, "-c", STANDIN])
    run = tmp_path / "var" / "run"
    assert {p.name for p in run.iterdir()} == {"devstack.json", "workers.json"}

    stack.stop()

    assert stack.children[0][1].returncode == -signal.SIGTERM
    assert list(run.iterdir()) == []
