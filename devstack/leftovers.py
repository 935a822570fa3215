"""What `make run` started, recorded under var/run/, so that the next run stops what a killed run left running.

A run that stops cleanly removes its records. A run killed outright (SIGKILL, a crashed terminal) leaves the
engine, the workers and the web UI running in their own sessions, holding their ports. The next run reads the
records and stops each process that is still running and is really ours — the same process (its start time
in /proc), started with the recorded command line, which is the engine jar, `python -m workers` or
`python -m webui` — with SIGTERM, then SIGKILL; one line says so. A recorded pid that now belongs to another
program is left alone (its record is dropped), and whatever else holds a port is still named by
``require_free_port``. A run that is still going (its own record, `python -m devstack`, alive) is never
stopped: the new run refuses to start instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from devstack.engine import ENGINE_JAR, StackError

SUPERVISOR = "devstack"  # the `make run` process itself
CHILDREN = ("webui", "workers", "engine")  # stopped in this order, the reverse of their start
WHAT = {"engine": "流程引擎", "workers": "工作进程", "webui": "网页服务", SUPERVISOR: "make run"}
# As long as each gets in a clean stop of the run (Stack.stop, EngineProcess.stop): the workers finish a long poll.
GRACE_SECONDS = {"engine": 30.0, "workers": 35.0, "webui": 10.0}


@dataclass(frozen=True)
class Record:
    """One started process: its pid, the command line it was started with, and its start time."""

    name: str
    pid: int
    argv: tuple[str, ...]
    started: int  # field 22 of /proc/<pid>/stat: clock ticks after boot, so a reused pid never matches


def looks_like(name: str, argv: Sequence[str]) -> bool:
    """Whether a command line is the one `make run` starts for this name (and nothing else)."""
    if not argv:
        return False
    program, args = Path(argv[0]).name, list(argv[1:])
    if name == "engine":
        jar_at = args.index("-jar") + 1 if "-jar" in args else len(args)
        return program == "java" and jar_at < len(args) and Path(args[jar_at]).name == ENGINE_JAR.name
    return name in WHAT and program.startswith("python") and args == ["-m", name]


def command_line(pid: int) -> tuple[str, ...]:
    """The process's command line from /proc, or () when it is gone (or a zombie: an empty one)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ()
    return tuple(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)


def start_time(pid: int) -> int | None:
    """When the process started (clock ticks after boot), or None when it is gone or only a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    return None if fields[0] in ("Z", "X") else int(fields[19])


class RunRecords:
    """The records of one checkout's `make run`: one JSON file per process under ``directory``."""

    def __init__(self, directory: Path, say: Callable[[str], None] | None = None) -> None:
        self.directory = directory
        self.say = say or (lambda line: print(line, flush=True))

    def record(self, name: str, pid: int, argv: Sequence[str]) -> None:
        """Note a process this run started (written at once: a run may be killed a moment later)."""
        started = start_time(pid)
        if started is None:
            return  # already gone: nothing to leave behind
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(name)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps({"pid": pid, "argv": [str(a) for a in argv], "started": started}))
        partial.replace(path)

    def record_self(self) -> None:
        """Note the running `make run` itself, so that a second run started meanwhile leaves it be."""
        self.record(SUPERVISOR, os.getpid(), command_line(os.getpid()))

    def forget(self, name: str) -> None:
        """Drop a record: its process was stopped."""
        self._path(name).unlink(missing_ok=True)

    def load(self, name: str) -> Record | None:
        try:
            data = json.loads(self._path(name).read_text())
            return Record(name, int(data["pid"]), tuple(data["argv"]), int(data["started"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # none, or unreadable: nothing we could safely act on

    def running(self, name: str) -> Record | None:
        """The recorded process if it is still running and still ours, else None."""
        record = self.load(name)
        if record is None or not looks_like(name, record.argv) or start_time(record.pid) != record.started:
            return None
        current = command_line(record.pid)
        same = bool(current) and Path(current[0]).name == Path(record.argv[0]).name and current[1:] == record.argv[1:]
        return record if same and looks_like(name, current) else None

    def stop_leftovers(self, grace: dict[str, float] | None = None) -> list[Record]:
        """Stop what a killed run left running; return what was stopped.

        Raise StackError when the run that recorded them is still going (another `make run` of this checkout).
        """
        supervisor = self.running(SUPERVISOR)
        if supervisor is not None and supervisor.pid != os.getpid():
            raise StackError(
                f"另一个 make run 仍在运行（进程 {supervisor.pid}），请先在它的终端按 Ctrl-C 停止，再重新启动。"
            )
        stopped = []
        for name in CHILDREN:
            record = self.running(name)
            if record is not None:
                forced = stop_process(record.pid, (grace or GRACE_SECONDS).get(name, 10.0))
                how = "未响应 SIGTERM，已强制结束" if forced else "已发送 SIGTERM"
                self.say(f"已停止上次 make run 遗留的{WHAT[name]}（进程 {record.pid}，{how}）。")
                stopped.append(record)
            self.forget(name)
        self.forget(SUPERVISOR)
        return stopped

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"


def stop_process(pid: int, grace: float) -> bool:
    """SIGTERM, wait up to ``grace`` seconds, then SIGKILL; return whether SIGKILL was needed.

    The whole process group when the process leads one (make run starts each child in a session of its
    own), so that nothing it started stays behind either."""
    _signal(pid, signal.SIGTERM)
    if _gone(pid, grace):
        return False
    _signal(pid, signal.SIGKILL)
    if not _gone(pid, 10.0):
        raise StackError(f"进程 {pid} 在 SIGKILL 后仍未结束，请手工检查。")
    return True


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while start_time(pid) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
