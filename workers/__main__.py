"""`python -m workers`: serve every topic until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from domain.engine import EngineAuthError, EngineClient, EngineUnavailable
from workers import resources
from workers.outbox import deliver_notices, dispatcher
from workers.runner import Backoff, Runner
from workers.topics import HANDLERS


async def _wait_for_engine(client: EngineClient, backoff: Backoff, stopping: asyncio.Event) -> bool:
    """Wait until the engine accepts our credentials; False if asked to stop first."""
    while not stopping.is_set():
        try:
            await asyncio.to_thread(client.check_login)
            return True
        except EngineUnavailable as exc:
            delay = backoff.next()
            logging.getLogger("workers").warning("%s；%.1f 秒后重试。", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=delay)
    return False


async def serve() -> int:
    settings = resources.settings()
    runner = Runner(settings.engine, settings.worker, HANDLERS)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, runner.stop)
    client = EngineClient.as_service(settings.engine)
    backoff = Backoff(settings.worker.reconnect_min_seconds, settings.worker.reconnect_max_seconds)
    try:
        if not await _wait_for_engine(client, backoff, runner.stopping):
            return 0
    except EngineAuthError as exc:
        logging.getLogger("workers").error("%s", exc)
        return 2
    finally:
        client.close()
    outbox = dispatcher(settings.worker.worker_id)
    await asyncio.gather(runner.run(), deliver_notices(outbox, runner.stopping, settings.delivery.poll_seconds))
    return 2 if runner.refused_login else 0


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stdout)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
    return asyncio.run(serve())


if __name__ == "__main__":
    sys.exit(main())
