"""The web UI under gunicorn as production starts it (docker/compose.yaml's webui service): the same command,
webui/gunicorn_conf.py's workers and threads, a trusted reverse proxy in front (the benchmark stands where nginx
stands), its log to a file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

from bench.common.guards import NoFigure
from bench.common.memory import ProcessMemory, sample_tree
from devstack.engine import free_port
from domain.config import PROJECT_ROOT

COMMAND = ["-m", "gunicorn", "-c", "python:webui.gunicorn_conf", "webui.wsgi:app"]


def production_env(database_url: str, engine_url: str, var_dir: Path) -> dict[str, str]:
    """compose.yaml's webui environment, less what needs its other services (docs/performance.md lists them);
    WEBUI_BIND is the Gunicorn object's."""
    return {
        "DATABASE_URL": database_url,
        "CAMUNDA_URL": engine_url,  # the web UI's own service account (the settings' defaults, as prepare_engine)
        "HUIQI_VAR_DIR": str(var_dir),
        "WEBUI_TRUSTED_PROXIES": "1",  # as behind nginx: X-Forwarded-For is the client's address
        "WEBUI_FORWARDED_ALLOW_IPS": "127.0.0.1",
        # Plain http on loopback (nginx terminates TLS in production); the cookie's Secure flag is the only change.
        "WEBUI_SECURE_COOKIES": "false",
        "PYTHONUNBUFFERED": "1",
    }


class Gunicorn:
    """gunicorn serving webui.wsgi:app on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.env = {**env, "WEBUI_BIND": f"127.0.0.1:{self.port}"}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Gunicorn:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *COMMAND], cwd=PROJECT_ROOT, env={**os.environ, **self.env}, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NoFigure(f"gunicorn exited ({self.process.returncode}) before serving: nothing measured.\n"
                               f"{self.log_tail()}")  # fmt: skip
            try:
                if requests.get(f"{self.base_url}/", timeout=2).status_code == 200 and len(self.workers()) >= 1:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise NoFigure(f"gunicorn did not serve within {timeout:.0f} s: nothing measured.\n{self.log_tail()}")

    def workers(self) -> list[int]:
        assert self.process is not None
        try:
            return [child.pid for child in psutil.Process(self.process.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def wait_for_workers(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.workers()) < count and time.monotonic() < deadline:
            time.sleep(0.2)

    def memory(self) -> list[ProcessMemory]:
        assert self.process is not None
        return sample_tree("web UI master", self.process.pid, "web UI worker")

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL after its graceful timeout."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
