"""`python -m workers`: serve every topic until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from domain.db import Database
from domain.db_check import DatabaseRefused, DatabaseUnavailable, check
from domain.engine import EngineAuthError, EngineClient, EngineUnavailable
from domain.production import UnsafeConfiguration, require_safe
from workers import resources
from workers.outbox import deliver_notices, dispatcher
from workers.runner import Backoff, Runner
from workers.topics import HANDLERS


async def _wait_for_engine(client: EngineClient, backoff: Backoff, stopping: asyncio.Event) -> bool:
    """Wait until the engine answers and accepts our credentials; False if asked to stop first.

    A refused login is reported loudly and tried again at the longest wait: the operator fixes the
    password, the worker carries on; it never takes the stack down.
    """
    log = logging.getLogger("workers")
    while not stopping.is_set():
        try:
            await asyncio.to_thread(client.check_login)
            return True
        except EngineAuthError as exc:
            delay = backoff.maximum
            log.error("%s；%.0f 秒后重试。", exc, delay)
        except EngineUnavailable as exc:
            delay = backoff.next()
            log.warning("%s；%.1f 秒后重试。", exc, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=delay)
    return False


async def _wait_for_database(database: Database, backoff: Backoff, stopping: asyncio.Event) -> bool:
    """Wait until the application database answers (issue 12); False if asked to stop first.

    Down or not started yet: a warning and doubling waits. Answering but refusing (wrong password,
    missing database): one error line naming DATABASE_URL, again at the longest wait. Never an exit
    that a supervisor would turn into a crash loop.
    """
    log = logging.getLogger("workers")
    while not stopping.is_set():
        try:
            await asyncio.to_thread(check, database)
            return True
        except DatabaseRefused as exc:
            delay = backoff.maximum
            log.error("%s；%.0f 秒后重试。", exc, delay)
        except DatabaseUnavailable as exc:
            delay = backoff.next()
            log.warning("%s；%.1f 秒后重试。", exc, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=delay)
    return False


async def serve() -> int:
    settings = resources.settings()
    try:
        require_safe(settings)
    except UnsafeConfiguration as exc:
        logging.getLogger("workers").error("%s", exc)
        return 2
    runner = Runner(settings.engine, settings.worker, HANDLERS)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, runner.stop)
    database = Database(settings.database_url)
    try:
        backoff = Backoff(settings.worker.reconnect_min_seconds, settings.worker.reconnect_max_seconds)
        if not await _wait_for_database(database, backoff, runner.stopping):
            return 0
    finally:
        database.dispose()
    client = EngineClient.as_service(settings.engine)
    backoff = Backoff(settings.worker.reconnect_min_seconds, settings.worker.reconnect_max_seconds)
    try:
        if not await _wait_for_engine(client, backoff, runner.stopping):
            return 0
    finally:
        client.close()
    outbox = dispatcher(settings.worker.worker_id)
    await asyncio.gather(runner.run(), deliver_notices(outbox, runner.stopping, settings.delivery.poll_seconds))
    return 0


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stdout)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
    return asyncio.run(serve())


if __name__ == "__main__":
    sys.exit(main())
