"""One connection pool per worker process for every call the runner makes to the engine (issue 14).

``PooledExternalTaskClient`` is the library's AsyncExternalTaskClient — its URLs, headers and request
bodies, its errors — sending through one ``httpx.AsyncClient`` with bounded limits and timeouts instead
of building a new client (~30 ms of CPU) for every fetch and completion. Beyond the library:

- ``fetch_and_lock(..., max_tasks=n)``: the library hard-codes maxTasks 1; the runner asks for its free slots;
- ``extend_lock`` and ``unlock`` on the same pool (the library has neither);
- ``aclose()``: the runner's clean stop closes the pool.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from camunda.client.async_external_task_client import AsyncExternalTaskClient
from camunda.utils.response_utils import raise_exception_if_not_ok
from camunda.variables.variables import Variables

from domain.config import EngineSettings, WorkerSettings

# Below the engine's keep-alive timeout (Tomcat's default is 20 s): a pooled connection is never reused
# just as the server closes it.
KEEPALIVE_SECONDS = 5.0


def worker_client(
    engine: EngineSettings, settings: WorkerSettings, pollers: int, transport: httpx.AsyncBaseTransport | None = None
) -> PooledExternalTaskClient:
    """The runner's client: its account, long poll, lock and timeouts; a connection for every poll and slot."""
    return PooledExternalTaskClient(
        settings.worker_id,
        engine.url,
        {
            "auth_basic": {"username": engine.user, "password": engine.password},
            "asyncResponseTimeout": settings.long_poll_ms,
            "lockDuration": settings.lock_duration_ms,
            "httpTimeoutMillis": int(engine.timeout_seconds * 1000),
            "retries": settings.task_retries,
            "retryTimeout": settings.task_retry_base_ms,
            # Typed values as stored (Json as text, Date as text): domain/engine/variables.py reads them.
            "deserializeValues": False,
        },
        # The polls, one report or lock extension per handler slot, and a margin for a report that
        # overlaps its own lock extension being cancelled.
        max_connections=pollers + settings.max_concurrent_tasks + 2,
        transport=transport,
    )


class PooledExternalTaskClient(AsyncExternalTaskClient):
    """The library's external-task client on one shared, bounded HTTP connection pool."""

    def __init__(
        self,
        worker_id: str,
        engine_base_url: str,
        config: dict[str, Any],
        max_connections: int,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """``max_connections``: the most requests in flight at once (polls, reports, lock extensions);
        one more waits for a free connection up to the HTTP timeout. ``transport``: tests only."""
        super().__init__(worker_id, engine_base_url, config)
        self._headers = super()._get_headers()  # the library rebuilds them (a pydantic model) for every call
        self.http = httpx.AsyncClient(
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=KEEPALIVE_SECONDS,
            ),
            timeout=httpx.Timeout(self.http_timeout_seconds),
            transport=transport,
        )

    def _get_headers(self) -> dict[str, str]:
        return dict(self._headers)

    async def aclose(self) -> None:
        """Close the pool's connections; nothing may be sent after."""
        await self.http.aclose()

    async def fetch_and_lock(self, topic_names, process_variables=None, variables=None, max_tasks: int = 1):
        """Lock up to ``max_tasks`` tasks of these topics, waiting up to asyncResponseTimeout for the first."""
        body = {
            "workerId": str(self.worker_id),
            "maxTasks": max_tasks,
            "topics": self._get_topics(topic_names, process_variables, variables),
            "asyncResponseTimeout": self.config["asyncResponseTimeout"],
            "usePriority": self.config["usePriority"],
            "sorting": self.config["sorting"],
        }
        # As the library: the HTTP timeout is the long poll plus a margin, so a held poll is never cut.
        timeout = (self.config["timeoutDeltaMillis"] + self.config["asyncResponseTimeout"]) / 1000
        response = await self._post(self.get_fetch_and_lock_url(), body, seconds=timeout)
        raise_exception_if_not_ok(response)
        return response.json()

    async def complete(self, task_id, global_variables, local_variables=None) -> bool:
        body = {
            "workerId": self.worker_id,
            "variables": Variables.format(global_variables),
            "localVariables": Variables.format(local_variables),
        }
        return await self._report(self.get_task_complete_url(task_id), body)

    async def failure(self, task_id, error_message, error_details, retries, retry_timeout) -> bool:
        body = {
            "workerId": self.worker_id,
            "errorMessage": error_message,
            "retries": retries,
            "retryTimeout": retry_timeout,
        }
        if error_details:
            body["errorDetails"] = error_details
        return await self._report(self.get_task_failure_url(task_id), body)

    async def bpmn_failure(self, task_id, error_code, error_message, variables=None) -> bool:
        body = {
            "workerId": self.worker_id,
            "errorCode": error_code,
            "errorMessage": error_message,
            "variables": Variables.format(variables),
        }
        response = await self._send_result(self.get_task_bpmn_error_url(task_id), body)
        response.raise_for_status()  # as the library does for this call
        return response.status_code == httpx.codes.NO_CONTENT

    async def extend_lock(self, task_id: str, duration_ms: int) -> None:
        """Keep a slow task locked to this worker for ``duration_ms`` more."""
        body = {"newDuration": duration_ms, "workerId": self.worker_id}
        raise_exception_if_not_ok(await self._post(f"{self.external_task_base_url}/{task_id}/extendLock", body))

    async def unlock(self, task_id: str) -> None:
        """Give a locked task back, so that another worker takes it at once."""
        raise_exception_if_not_ok(await self._post(f"{self.external_task_base_url}/{task_id}/unlock", {}))

    async def _report(self, url: str, body: dict[str, Any]) -> bool:
        response = await self._send_result(url, body)
        raise_exception_if_not_ok(response)
        return response.status_code == httpx.codes.NO_CONTENT

    async def _send_result(self, url: str, body: dict[str, Any]) -> httpx.Response:
        """Send a task's result; one the engine rolled back because another transaction changed the case at that
        moment (a user's completion meeting ours at an inclusive join, a deadlock) is sent again, a few times with
        short growing waits: the handler's work is done and kept by its idempotency key, only the report was
        refused. Without this the task would wait out its whole lock and run its handler again."""
        for attempt in range(1, RESULT_ATTEMPTS + 1):
            response = await self._post(url, body)
            if attempt == RESULT_ATTEMPTS or not collided(response):
                return response
            await asyncio.sleep(RESULT_RETRY_BASE_SECONDS * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    async def _post(self, url: str, body: dict[str, Any], seconds: float | None = None) -> httpx.Response:
        """POST through the pool; the library's HTTP timeout unless ``seconds`` says otherwise."""
        return await self.http.post(url, headers=self._headers, json=body, timeout=seconds or self.http_timeout_seconds)


RESULT_ATTEMPTS = 4
RESULT_RETRY_BASE_SECONDS = 0.1


def collided(response: httpx.Response) -> bool:
    """The engine refused a result because of a concurrent change: its optimistic locking, or the database's
    deadlock detection (PostgreSQL), both rolled back and safe to send again."""
    if response.status_code != httpx.codes.INTERNAL_SERVER_ERROR:
        return False
    try:
        error = response.json()
    except ValueError:
        return False
    text = f"{error.get('type', '')} {error.get('message', '')}" if isinstance(error, dict) else ""
    return "OptimisticLockingException" in text or "deadlock detected" in text
