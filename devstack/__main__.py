"""`make run`: engine, migrations, deployment, identity, demo data, workers and web UI; Ctrl-C stops all.

Data stays under var/ (H2 engine database, SQLite application database, logs), so a second run
reuses it and skips the engine build. What a run starts is recorded under var/run/ (devstack/leftovers.py):
a run that was killed and left its engine, workers or web UI running has them stopped by the next one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from devstack.engine import EngineProcess, StackError, build_engine, require_free_port
from devstack.leftovers import SUPERVISOR, RunRecords
from domain import cli
from domain.config import PROJECT_ROOT, load_settings
from domain.organisation import ALL_UNITS, Role

BANNER = """
================ 惠企政策兑现“一门式”服务已启动 ================
  企业与公众网页     {webui}
  任务列表 Tasklist  {base}/camunda/app/tasklist/
  流程监控 Cockpit   {base}/camunda/app/cockpit/
  系统管理 Admin     {base}/camunda/app/admin/
  REST API           {base}/engine-rest   （HTTP Basic 认证）

  管理员             {admin} / {admin_password}
  演示用户（密码均为 {demo_password}）：
{users}
  日志               {logs}
  按 Ctrl-C 停止全部服务。
=================================================================
"""


class Stack:
    """The processes of the local stack, stopped in reverse order."""

    def __init__(self) -> None:
        self.settings = load_settings()
        self.var = Path(self.settings.var_dir)
        self.logs = self.var / "log"
        self.engine_port = int(os.environ.get("ENGINE_PORT", "8080"))
        self.engine: EngineProcess | None = None
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.records = RunRecords(self.var / "run")
        self.claimed = False  # the records are this run's (not another run's that is still going)

    def claim(self) -> None:
        """Stop what a killed earlier run left running, and record this run (StackError if one still runs)."""
        self.records.stop_leftovers()
        self.records.record_self()
        self.claimed = True

    def start(self) -> None:
        self.claim()
        require_free_port(self.engine_port, "流程引擎", "ENGINE_PORT")
        require_free_port(self.settings.webui_port, "网页服务", "WEBUI_PORT")
        build_engine()
        self.engine = EngineProcess(self.engine_port, self.var / "engine", self.logs / "engine.log")
        print(f"正在启动流程引擎（端口 {self.engine_port}）…", flush=True)
        started = time.monotonic()
        self.engine.start(spawned=lambda process: self.records.record("engine", process.pid, process.args))
        print(f"流程引擎已就绪（{time.monotonic() - started:.0f} 秒）。", flush=True)
        os.environ["CAMUNDA_URL"] = self.engine.rest_url
        for argv in (["migrate", "--demo-data"], ["deploy"], ["bootstrap", "--demo-users"]):
            if cli.main(argv) != 0:
                raise StackError(f"“huiqi {' '.join(argv)}” 失败，见上面的错误信息。")
        engine = self.settings.engine  # the workers act as their own account (least privilege, issue 11)
        worker_account = {"CAMUNDA_USER": engine.worker_user, "CAMUNDA_PASSWORD": engine.worker_password}
        self._spawn("workers", [sys.executable, "-m", "workers"], worker_account)
        self._spawn("webui", [sys.executable, "-m", "webui"])
        print(self._banner(), flush=True)

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                argv,
                cwd=PROJECT_ROOT,
                env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},  # logs appear in var/log as they happen
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.children.append((name, process))
        self.records.record(name, process.pid, process.args)

    def _banner(self) -> str:
        users = "\n".join(
            f"    {unit.demo_user:<22} {unit.name}" for unit in ALL_UNITS if unit.role is not Role.SERVICE
        )
        return BANNER.format(
            webui=f"http://{self.settings.webui_host}:{self.settings.webui_port}/",
            base=self.engine.base_url if self.engine else "",
            admin=self.settings.engine.admin_user,
            admin_password=self.settings.engine.admin_password,
            demo_password=self.settings.demo_password,
            users=users,
            logs=self.logs,
        )

    def watch(self) -> None:
        """Return when a child process exits by itself (and say which)."""
        while True:
            for name, process in self.children:
                if process.poll() is not None:
                    print(f"{name} 已退出（退出码 {process.returncode}），见 {self.logs / (name + '.log')}")
                    return
            if self.engine and self.engine.process and self.engine.process.poll() is not None:
                print(f"流程引擎已退出，见 {self.engine.log_path}")
                return
            time.sleep(1)

    def stop(self) -> None:
        """Stop the children and the engine; drop the records of a clean stop."""
        for _name, process in reversed(self.children):
            if process.poll() is None:
                process.terminate()
        for name, process in self.children:
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            self._forget(name)
        if self.engine:
            self.engine.stop()
            self._forget("engine")
        self._forget(SUPERVISOR)

    def _forget(self, name: str) -> None:
        if self.claimed:
            self.records.forget(name)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    stack = Stack()
    # Explicit, because a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)  # the terminal closed: stop everything too
    try:
        stack.start()
        stack.watch()
        return 1
    except KeyboardInterrupt:
        print("\n正在停止…", flush=True)
        return 0
    except StackError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("已停止。", flush=True)


if __name__ == "__main__":
    sys.exit(main())
