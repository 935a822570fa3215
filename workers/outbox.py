"""The outbox loop of a worker process: deliver due notices until the runner stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from workers import resources

log = logging.getLogger("workers")


def dispatcher(worker_id: str) -> OutboxDispatcher:
    delivery = resources.settings().delivery
    policy = OutboxPolicy(max_attempts=delivery.max_attempts, retry_base_seconds=delivery.retry_base_seconds)
    return OutboxDispatcher(resources.database(), resources.channels(), worker_id, policy)


async def deliver_notices(outbox: OutboxDispatcher, stopping: asyncio.Event, poll_seconds: float) -> None:
    """Deliver what is due; when nothing was, wait ``poll_seconds`` (or until stopped)."""
    while not stopping.is_set():
        try:
            attempted = await asyncio.to_thread(outbox.deliver_due)
        except Exception:  # the database is unreachable, say: try again at the next poll
            log.exception("通知投递循环出错")
            attempted = 0
        if not attempted:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=poll_seconds)
