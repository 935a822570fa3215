"""Build the engine jar when needed and run it as a child process until it is ready.

Used by `make run` and by the test session (there is no Docker engine on our machines).
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import socket
import subprocess
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import requests

from domain.config import PROJECT_ROOT

ENGINE_DIR = PROJECT_ROOT / "engine"
ENGINE_JAR = ENGINE_DIR / "target" / "huiqi-engine.jar"
BUILT_JAR = ENGINE_DIR / "target" / "huiqi-engine-build.jar"  # Maven's output, renamed over ENGINE_JAR
# The engine's JVM options unless ENGINE_JAVA_OPTS says otherwise (the same default as docker/engine.Dockerfile):
# the heap sized for a county (docs/performance.md), and an exit on OutOfMemoryError, so that whoever watches the
# engine (make run, compose's restart policy) starts it again rather than a JVM limping on.
ENGINE_JAVA_OPTS = "-Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError"


class StackError(Exception):
    """The local stack cannot start; the message says why and what to do."""


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Return True when something already listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def free_port() -> int:
    """Return a port that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_free_port(port: int, what: str, variable: str) -> None:
    """Raise StackError naming the port and the variable that moves it, if the port is taken."""
    if port_in_use(port):
        raise StackError(
            f"端口 {port} 已被占用，{what}无法启动。请停止占用该端口的程序，或设置 {variable} 换一个端口。"
        )


def jar_is_stale() -> bool:
    """True when the jar is missing or older than a source file of the engine build."""
    if not ENGINE_JAR.exists():
        return True
    built = ENGINE_JAR.stat().st_mtime
    sources = [ENGINE_DIR / "pom.xml", *(ENGINE_DIR / "src").rglob("*")]
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


def build_engine(quiet: bool = True) -> Path:
    """Build the engine jar with Maven if it is missing or stale; return its path.

    One build at a time on this machine (a lock file): two runs that build at once leave a jar without
    its Spring Boot launcher."""
    (ENGINE_DIR / "target").mkdir(exist_ok=True)
    with (ENGINE_DIR / "target" / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not jar_is_stale():
            return ENGINE_JAR
        return _build(quiet)


def _build(quiet: bool) -> Path:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError("找不到 Maven（mvn），无法构建流程引擎。请安装 Maven 与 JDK 17。")
    command = [mvn, "-B", "-DskipTests", "package"]
    if quiet:
        command.insert(1, "-q")
    print("正在构建流程引擎（首次需下载依赖，约数分钟）…", flush=True)
    result = subprocess.run(command, cwd=ENGINE_DIR, check=False)
    if result.returncode != 0 or not BUILT_JAR.exists():
        raise StackError("流程引擎构建失败，请查看上面 Maven 的输出。")
    # A rename, not a copy: engines already running keep reading the old file (its inode) undisturbed.
    BUILT_JAR.replace(ENGINE_JAR)
    return ENGINE_JAR


class EngineProcess:
    """The engine jar running as a child process."""

    def __init__(self, port: int, data_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.port = port
        self.data_dir = data_dir
        self.log_path = log_path
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/engine-rest"

    def start(self, timeout: float = 240.0, spawned: Callable[[subprocess.Popen], None] | None = None) -> None:
        """Start the engine and wait until it is ready; raise StackError with its log if it fails.

        ``spawned`` is called with the process as soon as it runs, before the wait (make run records it)."""
        require_free_port(self.port, "流程引擎", "ENGINE_PORT")
        java = shutil.which("java")
        if java is None:
            raise StackError("找不到 java，无法启动流程引擎。请安装 JDK 17。")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "ENGINE_PORT": str(self.port),
            "ENGINE_DATA_DIR": str(self.data_dir),
            **self.env,
        }
        log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [java, *shlex.split(env.get("ENGINE_JAVA_OPTS") or ENGINE_JAVA_OPTS), "-jar", str(ENGINE_JAR)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        if spawned is not None:
            spawned(self.process)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.base_url}/actuator/health/readiness"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise StackError(f"流程引擎启动失败（退出码 {self.process.returncode}）：\n{self.log_tail()}")
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise StackError(f"流程引擎 {timeout:.0f} 秒内未就绪：\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open(encoding="utf-8", errors="replace") as log:
            return "".join(deque(log, maxlen=lines))

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the engine: SIGTERM, then SIGKILL if it does not exit in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
