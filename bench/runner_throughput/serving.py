"""The benchmark's worker processes: the real runner, or a plain HTTP loop, serving the benchmark's topic.

``python -m bench.runner_throughput.serving runner|plain``, its engine, account, maxTasks and long poll from the
environment (CAMUNDA_URL, CAMUNDA_USER, WORKER_MAX_TASKS, WORKER_LONG_POLL_MS…) as `python -m workers` reads them.
Each completion prints a line ``{"done": n}``; on SIGTERM it stops (the runner: its clean stop) and prints every
completed task's notes: the engine's createTime, when it was picked up, when its completion was answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import time

import requests
from camunda.client.external_task_client import ExternalTaskClient

from domain.config import load_settings

TOPIC = "bench_noop"
notes: dict[str, list] = {}  # task id → [createTime, picked up (handler started / fetch answered), completed]


def completed(task_id: str | None = None, final: bool = False) -> None:
    """Note a completion (``task_id``) and print how many there are; ``final``: with every task's notes."""
    if task_id is not None:
        notes[task_id].append(time.time())
    done = [note for note in notes.values() if len(note) == 3]
    print(json.dumps({"done": len(done), "rows": done if final else None}), flush=True)


def serve_runner() -> None:
    from workers.runner import Runner  # the product's runner, set up as python -m workers sets it up

    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")  # to its log
    logging.getLogger("httpx").setLevel(logging.WARNING)

    def handle(task) -> None:  # the topic's handler: does nothing but note when it ran
        notes[task.task_id].append(time.time())

    async def serve() -> None:
        runner = Runner(settings.engine, settings.worker, {TOPIC: handle})
        fetch, complete = runner.client.fetch_and_lock, runner.client.complete

        async def noting_fetch(*args, **kwargs):
            answer = await fetch(*args, **kwargs)
            notes.update((task["id"], [task["createTime"]]) for task in answer)
            return answer

        async def noting_complete(task_id, *args, **kwargs):
            done = await complete(task_id, *args, **kwargs)
            completed(task_id)
            return done

        runner.client.fetch_and_lock, runner.client.complete = noting_fetch, noting_complete
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, runner.stop)
        completed()
        await runner.run()

    asyncio.run(serve())
    completed(final=True)


def serve_plain() -> None:
    """fetchAndLock(maxTasks) with a long poll, then complete each task in turn; again."""
    settings = load_settings()
    engine, worker = settings.engine, settings.worker
    urls = ExternalTaskClient(worker.worker_id, engine.url)  # only the library's URL builders
    session = requests.Session()
    session.auth = (engine.user, engine.password)
    topic = {"topicName": TOPIC, "lockDuration": worker.lock_duration_ms, "deserializeValues": False}
    fetch = {"workerId": worker.worker_id, "maxTasks": worker.max_concurrent_tasks, "topics": [topic],
             "asyncResponseTimeout": worker.long_poll_ms}  # fmt: skip
    done = {"workerId": worker.worker_id, "variables": {}}
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    failures = 0
    completed()
    while not stopping:
        try:
            answer = session.post(urls.get_fetch_and_lock_url(), json=fetch, timeout=worker.long_poll_ms / 1000 + 5)
            answer.raise_for_status()
            picked = time.time()
            for task in answer.json():
                notes[task["id"]] = [task["createTime"], picked]
                url = urls.get_task_complete_url(task["id"])
                session.post(url, json=done, timeout=engine.timeout_seconds).raise_for_status()
                completed(task["id"])
            failures = 0
        except requests.RequestException as exc:  # a bounded number of times, with doubling waits
            failures += 1
            print(f"plain loop: {exc}", file=sys.stderr, flush=True)
            if failures > 5:
                break
            time.sleep(0.5 * 2**failures)
    completed(final=True)


if __name__ == "__main__":
    {"runner": serve_runner, "plain": serve_plain}[sys.argv[1]]()
