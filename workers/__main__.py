"""`python -m workers`: serve every topic until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import sys
from collections.abc import Callable

from domain.db import Database
from domain.db_check import DatabaseRefused, DatabaseUnavailable, check
from domain.engine import EngineAuthError, EngineClient, EngineUnavailable
from domain.production import UnsafeConfiguration, require_safe
from workers import resources
from workers.outbox import deliver_notices, dispatcher
from workers.runner import Backoff, Runner
from workers.topics import HANDLERS


async def _wait_until_ready(
    check: Callable[[], object],
    refused: type[Exception],
    unavailable: type[Exception],
    backoff: Backoff,
    stopping: asyncio.Event,
) -> bool:
    """Wait until ``check`` passes; False if asked to stop first. Never an exit that a supervisor would
    turn into a crash loop: the worker carries on once the cause is fixed.

    ``unavailable`` (down, not started yet): a warning and doubling waits. ``refused`` (it answers and says
    no: a wrong password, a missing database): one error line naming the setting, tried again at the longest wait.
    """
    log = logging.getLogger("workers")
    while not stopping.is_set():
        try:
            await asyncio.to_thread(check)
            return True
        except refused as exc:
            delay = backoff.maximum
            log.error("%s；%.0f 秒后重试。", exc, delay)
        except unavailable as exc:
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
        # The application database first (issue 12), then the engine and our login to it.
        ready = functools.partial(check, database)
        if not await _wait_until_ready(ready, DatabaseRefused, DatabaseUnavailable, backoff, runner.stopping):
            return 0
    finally:
        database.dispose()
    client = EngineClient.as_service(settings.engine)
    backoff = Backoff(settings.worker.reconnect_min_seconds, settings.worker.reconnect_max_seconds)
    try:
        if not await _wait_until_ready(
            client.check_login, EngineAuthError, EngineUnavailable, backoff, runner.stopping
        ):
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
