"""A throwaway PostgreSQL server under var/, for the test suite on PostgreSQL and the cluster test.

Debian's PostgreSQL binaries (installed by tools/ensure-postgres when missing); a fresh cluster in its
own directory, listening on loopback only, on a free port, with a random password for its one
superuser. PostgreSQL refuses to run as root: when we are root, the server runs as the ``postgres``
system user (created by Debian's package) and its directory belongs to that user.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import time
from pathlib import Path

from devstack.engine import StackError, free_port

DEBIAN_BINARIES = Path("/usr/lib/postgresql")
SUPERUSER = "huiqi"


def binaries() -> Path:
    """The bin directory of the newest PostgreSQL installed from Debian's packages (or on PATH)."""
    versions = sorted(
        (path for path in DEBIAN_BINARIES.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise StackError("找不到 PostgreSQL（initdb）。请运行 tools/ensure-postgres，或 apt-get install postgresql。")


class ThrowawayPostgres:
    """One PostgreSQL cluster in ``root``; ``start()`` creates it, ``stop()`` stops it and removes it."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root.resolve()
        self.data = self.root / "data"
        self.port = port or free_port()
        self.password = secrets.token_urlsafe(18)
        self.bin = binaries()
        self._as_postgres = os.geteuid() == 0

    # --- addresses -------------------------------------------------------------------------------
    def url(self, database: str) -> str:
        """SQLAlchemy URL of one database of this server."""
        return f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def jdbc_url(self, database: str) -> str:
        return f"jdbc:postgresql://127.0.0.1:{self.port}/{database}"

    def engine_env(self, database: str) -> dict[str, str]:
        """The engine's settings for one database of this server (application.yaml)."""
        return {
            "ENGINE_DB_URL": self.jdbc_url(database), "ENGINE_DB_USER": SUPERUSER, "ENGINE_DB_PASSWORD": self.password
        }  # fmt: skip

    # --- life ------------------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> ThrowawayPostgres:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        password_file = self.root / "password"
        password_file.write_text(self.password)
        password_file.chmod(0o600)
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            for path in (self.root, password_file):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={password_file}",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        password_file.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
            "-c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c timezone=UTC"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                  "-t", str(int(timeout)), "start")  # fmt: skip
        return self

    def stop(self, remove: bool = True) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    # --- databases -------------------------------------------------------------------------------
    def create_database(self, name: str) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def psql(self, database: str, sql: str) -> str:
        return self._run(
            "psql", "-h", str(self.root), "-p", str(self.port), "-U", SUPERUSER, "-d", database,
            "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql,
        )  # fmt: skip

    def dump(self, database: str, target: Path) -> Path:
        """pg_dump in the custom format (what the operations guide prescribes for backups)."""
        dump = self._run("pg_dump", "-h", str(self.root), "-p", str(self.port), "-U", SUPERUSER, "-Fc", database,
                         binary=True)  # fmt: skip
        target.write_bytes(dump)
        return target

    def restore(self, dump: Path, database: str) -> None:
        """pg_restore a custom-format dump into a new, empty database."""
        self.create_database(database)
        readable = self.root / dump.name
        shutil.copyfile(dump, readable)
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            os.chown(readable, account.pw_uid, account.pw_gid)
        self._run("pg_restore", "-h", str(self.root), "-p", str(self.port), "-U", SUPERUSER, "-d", database,
                  "--no-owner", "--exit-on-error", str(readable))  # fmt: skip
        readable.unlink()

    # --- plumbing --------------------------------------------------------------------------------
    def _run(self, tool: str, *args: str, check: bool = True, binary: bool = False):
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, check=False, timeout=120, cwd="/")
        if check and result.returncode != 0:
            error = result.stderr.decode("utf-8", "replace").strip()
            raise StackError(f"PostgreSQL 命令 {tool} 失败（退出码 {result.returncode}）：{error}")
        return result.stdout if binary else result.stdout.decode("utf-8", "replace").strip()


def wait_accepting(server: ThrowawayPostgres, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            server.psql("postgres", "SELECT 1")
            return
        except StackError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
