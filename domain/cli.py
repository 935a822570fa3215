"""`huiqi`: the operator's commands — migrate, deploy, bootstrap identity, demo data, wait for the engine.

Each command prints what it did and exits non-zero with a readable message when it cannot.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from domain.config import PROJECT_ROOT, load_settings
from domain.db import Database
from domain.engine import EngineClient, EngineError, EngineUnavailable
from domain.engine.deployment import DeploymentInvalid, collect_files, deploy
from domain.engine.identity import IdentityBootstrap
from domain.policies.demo import seed_demo_policies


def cmd_migrate(args: argparse.Namespace) -> None:
    settings = load_settings()
    database = Database(settings.database_url)
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
    result = deploy(EngineClient.as_admin(settings.engine), files)
    print(result.describe())


def cmd_bootstrap(args: argparse.Namespace) -> None:
    settings = load_settings()
    bootstrap = IdentityBootstrap(EngineClient.as_admin(settings.engine))
    report = bootstrap.run(
        service_password=settings.engine.password,
        demo_password=settings.demo_password if args.demo_users else None,
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

    wait = commands.add_parser("wait", help="等待流程引擎就绪")
    wait.add_argument("--timeout", type=float, default=120.0)
    wait.set_defaults(func=cmd_wait)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (EngineError, DeploymentInvalid, ValueError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
