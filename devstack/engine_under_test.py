"""Provide a real Camunda engine for the test session and the benchmarks.

In order of preference: the engine at CAMUNDA_URL (already running, admin credentials from the
environment, started with ENGINE_JOB_EXECUTION=false so that timers fire only when a test says);
a container built from docker/engine.Dockerfile when a Docker engine answers (testcontainers) and no
database is named; otherwise the engine jar started here, on a fresh H2 database or the one named.
Timers never fire by themselves: tests execute their jobs through REST.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devstack.engine import EngineProcess, build_engine, free_port
from domain.config import PROJECT_ROOT

IMAGE_TAG = "huiqi-engine:test"


def docker_available() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        result = subprocess.run([docker, "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@contextmanager
def engine_in_container() -> Iterator[str]:
    """Build the engine image and run it; yield its REST URL."""
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.image import DockerImage
    from testcontainers.core.waiting_utils import wait_for_logs

    image = DockerImage(path=str(PROJECT_ROOT), dockerfile_path="docker/engine.Dockerfile", tag=IMAGE_TAG)
    container = DockerContainer(IMAGE_TAG).with_exposed_ports(8080).with_env("ENGINE_JOB_EXECUTION", "false")
    with image, container:
        wait_for_logs(container, "Started EngineApplication", timeout=300)
        host = container.get_container_host_ip()
        port = container.get_exposed_port(8080)
        yield f"http://{host}:{port}/engine-rest"


@contextmanager
def engine_from_jar(workdir: Path, database_env: dict[str, str] | None = None) -> Iterator[str]:
    """Start the engine jar on a free port with a fresh database; yield its REST URL.

    ``database_env`` points it at another database than its embedded H2 (ENGINE_DB_URL…)."""
    build_engine()
    # No job executor: tests execute timer jobs through REST, when they choose.
    engine = EngineProcess(
        free_port(), workdir / "engine", workdir / "engine.log",
        env={"ENGINE_JOB_EXECUTION": "false", **(database_env or {})},
    )  # fmt: skip
    engine.start()
    try:
        yield engine.rest_url
    finally:
        engine.stop()


@contextmanager
def engine_under_test(workdir: Path, database_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the REST URL of the engine the tests drive (``database_env``: see engine_from_jar).

    A run that names a database (the PostgreSQL pass) gets the jar on it: the container knows only its own H2."""
    if os.environ.get("CAMUNDA_URL"):
        yield os.environ["CAMUNDA_URL"].rstrip("/")
    elif database_env is None and docker_available():
        with engine_in_container() as url:
            yield url
    else:
        with engine_from_jar(workdir, database_env) as url:
            yield url
