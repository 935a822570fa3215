"""`huiqi`: the operator's commands — migrate, deploy, bootstrap identity, demo data, wait for the engine.

Each command prints what it did and exits non-zero with a readable message when it cannot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from domain.calendar import CalendarDataInvalid, WorkingDayCalendar
from domain.calendar.loading import install_schedule
from domain.clock import CHINA
from domain.config import PROJECT_ROOT, load_settings
from domain.db import Database
from domain.db_check import DatabaseProblem, wait_until_ready
from domain.engine import EngineClient, EngineError, EngineUnavailable
from domain.engine.cases import CaseGateway
from domain.engine.deployment import DeploymentInvalid, collect_files, deploy
from domain.engine.identity import IdentityBootstrap
from domain.engine.tasks import TaskGateway
from domain.policies.demo import seed_demo_policies
from domain.production import UnsafeConfiguration, is_production, require_safe
from domain.timeliness.reference import publish as publish_reference
from domain.timeliness.rescheduling import Rescheduler


def cmd_migrate(args: argparse.Namespace) -> None:
    settings = load_settings()
    database = Database(settings.database_url)
    # A database not up yet is waited for; one that refuses is named in one line (issue 12).
    wait_until_ready(database, lambda line: print(line, file=sys.stderr, flush=True), settings.database_wait_seconds)
    database.migrate()
    print(f"应用数据库已迁移到最新版本：{settings.database_url}")
    if args.demo_data:
        with database.session_scope() as session:
            added = seed_demo_policies(session)
        print(f"演示政策：新增 {len(added)} 条" + (f"（{'、'.join(added)}）" if added else ""))
    database.dispose()


def cmd_deploy(args: argparse.Namespace) -> None:
    settings = load_settings()
    files = collect_files(args.bpmn_dir, args.forms_dir)
    admin = EngineClient.as_admin(settings.engine)
    result = deploy(admin, files)
    print(result.describe())
    # The units and the working-day calendar the engine's timeliness figures count with (R17, R18).
    reference = publish_reference(admin, WorkingDayCalendar(settings.calendar_dir), dt.datetime.now(CHINA).date())
    print(f"办理时效统计参考数据（单位、工作日日历）：部署 {reference}")


def cmd_bootstrap(args: argparse.Namespace) -> None:
    settings = load_settings()
    bootstrap = IdentityBootstrap(EngineClient.as_admin(settings.engine))
    report = bootstrap.run(
        service_password=settings.engine.password,
        demo_password=settings.demo_password if args.demo_users else None,
        worker_password=settings.engine.worker_password,
    )
    print(report.describe())


def cmd_wait(args: argparse.Namespace) -> None:
    settings = load_settings()
    client = EngineClient.as_admin(settings.engine)
    deadline = time.monotonic() + args.timeout
    delay = 0.5
    while True:
        try:
            client.check_login()
            print(f"流程引擎已就绪：{settings.engine.url}")
            return
        except EngineUnavailable:
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def cmd_calendar_load(args: argparse.Namespace) -> None:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as before:
        schedule, old = install_schedule(args.file, settings.calendar_dir, Path(before))
        print(f"已载入 {schedule.year} 年节假日安排（{schedule.source}）：{settings.calendar_dir / args.file.name}")
        client = EngineClient.as_worker(settings.engine)  # moving due dates and timers is the workers' right
        database = Database(settings.database_url)
        new = WorkingDayCalendar(settings.calendar_dir)
        moved = Rescheduler(CaseGateway(client), TaskGateway(client), database).apply(old, new, schedule.year)
        database.dispose()
    # The engine's timeliness figures count working days on the new schedule from now on.
    admin = EngineClient.as_admin(settings.engine)
    print(f"办理时效统计的工作日日历已更新：部署 {publish_reference(admin, new, dt.datetime.now(CHINA).date())}")
    if not moved:
        print("没有需要调整的办理期限。")
    for case in moved:
        print(f"申报编号 {case.case.application_number}（{case.enterprise_name}）：")
        for line in case.lines():
            print(f"  {line}")
        if case.holders:
            print(f"  已通知：{'、'.join(sorted(case.holders))}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="huiqi", description="惠企政策兑现服务的运维命令")
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="迁移应用数据库到最新版本")
    migrate.add_argument("--demo-data", action="store_true", help="同时写入演示政策")
    migrate.set_defaults(func=cmd_migrate)

    deploy_cmd = commands.add_parser("deploy", help="把 bpmn/ 与 forms/ 作为一个部署发布到流程引擎")
    deploy_cmd.add_argument("--bpmn-dir", type=Path, default=PROJECT_ROOT / "bpmn")
    deploy_cmd.add_argument("--forms-dir", type=Path, default=PROJECT_ROOT / "forms")
    deploy_cmd.set_defaults(func=cmd_deploy)

    bootstrap = commands.add_parser("bootstrap", help="创建用户组、授权与任务过滤器（可重复执行）")
    bootstrap.add_argument("--demo-users", action="store_true", help="同时为每个用户组建一个演示用户")
    bootstrap.set_defaults(func=cmd_bootstrap)

    calendar = commands.add_parser("calendar", help="工作日日历")
    calendar_commands = calendar.add_subparsers(dest="calendar_command", required=True)
    load = calendar_commands.add_parser(
        "load", help="载入某年国务院节假日安排（<年份>.toml），并把暂按法定节假日计算的期限改为正式日期"
    )
    load.add_argument("file", type=Path, help="节假日安排文件，如 2027.toml（格式见 docs/working-day-calendar.md）")
    load.set_defaults(func=cmd_calendar_load)

    wait = commands.add_parser("wait", help="等待流程引擎就绪")
    wait.add_argument("--timeout", type=float, default=120.0)
    wait.set_defaults(func=cmd_wait)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        require_safe(settings)
        if is_production(settings) and (getattr(args, "demo_users", False) or getattr(args, "demo_data", False)):
            raise UnsafeConfiguration("生产环境不创建演示用户和演示数据（去掉 --demo-users / --demo-data）。")
        args.func(args)
    except (
        EngineError, DatabaseProblem, DeploymentInvalid, CalendarDataInvalid, UnsafeConfiguration, ValueError
    ) as exc:  # fmt: skip
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
