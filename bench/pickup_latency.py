"""How fast a new external task is picked up: target p95 well under one second (long polling).

Starts the engine jar (or uses CAMUNDA_URL), deploys, bootstraps, runs the workers, starts N cases
as the window and reads from the engine's history how long prepare_acceptance stayed open
(creation → completion: pickup, handler and completion call). Prints the figures.

    .venv/bin/python -m bench.pickup_latency [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from domain.engine import EngineClient
from tests.support.engine_under_test import engine_under_test
from tests.support.process import new_business_key, start_case
from tests.support.stack import DEMO_PASSWORD, prepare_database, prepare_engine, worker_env
from tests.support.waiting import wait_for
from tests.support.workers_process import WorkersProcess


def first_task_done(admin: EngineClient, instance_id: str) -> dict | None:
    """The finished prepare_acceptance activity of this case, or None while it is open."""
    found = admin.get(
        "/history/activity-instance",
        processInstanceId=instance_id,
        activityId="prepare_acceptance",
        finished="true",
    )
    return found[0] if found else None


def main(cases: int = 50) -> None:
    with tempfile.TemporaryDirectory() as tmp, engine_under_test(Path(tmp)) as url:
        workdir = Path(tmp)
        settings = prepare_engine(url)
        admin = EngineClient.as_admin(settings)
        env = worker_env(settings, prepare_database(workdir), workdir)
        workers = WorkersProcess(env, workdir / "workers.log").start()
        try:
            window = EngineClient(url, "window-clerk", DEMO_PASSWORD)
            wait_for(lambda: "开始服务主题" in workers.log(), "the workers", timeout=30)
            ids = []
            for _ in range(cases):
                ids.append(start_case(window, new_business_key()))
                time.sleep(0.05)  # one at a time: measure pickup, not queueing
            finished = [
                wait_for(lambda i=i: first_task_done(admin, i), "acceptance preparation", timeout=30) for i in ids
            ]
            durations = sorted(activity["durationInMillis"] for activity in finished)
        finally:
            workers.stop()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(
        f"prepare_acceptance open time over {cases} cases (ms): "
        f"median {statistics.median(durations):.0f}, p95 {p95}, max {durations[-1]}"
    )
    print("target: p95 < 1000 ms —", "met" if p95 < 1000 else "NOT met")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
