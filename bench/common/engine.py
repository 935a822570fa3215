"""The engine a benchmark measures against: the jar started here (H2, job executor off, as in the tests) with
the heap of ENGINE_JAVA_OPTS (devstack/engine.py), or the one at CAMUNDA_URL; either is checked to answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.common.guards import NoFigure, require_engine
from bench.common.memory import ProcessMemory, listening_pid, sample
from devstack.engine import ENGINE_JAR, EngineProcess, build_engine, free_port, jar_is_stale
from domain.config import load_settings


@dataclass(frozen=True)
class BenchEngine:
    url: str  # its REST root
    pid: int | None  # None: an engine elsewhere whose process we cannot see

    def memory(self) -> list[ProcessMemory]:
        if self.pid is None:
            return []
        found = sample("engine (JVM)", self.pid, jvm=True)
        return [found] if found else []


def admin_auth() -> tuple[str, str]:
    engine = load_settings().engine
    return engine.admin_user, engine.admin_password


@contextmanager
def engine_jar(workdir: Path, build: bool = True, env: dict[str, str] | None = None) -> Iterator[BenchEngine]:
    """Start the engine jar on a free port with a fresh H2 database (``build``: build it first if stale, else run
    it as built and say so); stop it after."""
    if build:
        build_engine()
    elif not ENGINE_JAR.exists():
        raise NoFigure(f"{ENGINE_JAR} is missing (run without --no-build, or `make engine`): nothing measured.")
    elif jar_is_stale():
        print(f"note: {ENGINE_JAR.name} is older than the engine's sources (--no-build: run as built)")
    engine = EngineProcess(free_port(), workdir / "engine", workdir / "engine.log",
                           env={"ENGINE_JOB_EXECUTION": "false", **(env or {})})  # fmt: skip
    engine.start()  # StackError when it does not start
    try:
        assert engine.process is not None
        require_engine(engine.rest_url, admin_auth())
        yield BenchEngine(engine.rest_url, engine.process.pid)
    finally:
        engine.stop()


def running_engine(url: str) -> BenchEngine:
    """The engine at ``url`` (CAMUNDA_URL), which must answer; its process if it runs on this machine."""
    require_engine(url, admin_auth())
    parts = urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    return BenchEngine(url, listening_pid(parts.port or 80) if local else None)
