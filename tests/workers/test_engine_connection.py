"""The pooled client sends what the library sends, through one HTTP client for the whole process."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from camunda.client.async_external_task_client import AsyncExternalTaskClient

from workers.engine_connection import PooledExternalTaskClient

URL = "http://engine.test/engine-rest"
CONFIG = {
    "auth_basic": {"username": "huiqi-worker", "password": "secret"},
    "asyncResponseTimeout": 10_000,
    "lockDuration": 60_000,
    "httpTimeoutMillis": 7_000,
    "deserializeValues": False,
}
VARIABLES = {"outcome": {"value": "approved", "type": "String"}}


class Recorder:
    """A transport that answers every call like the engine and keeps the requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/fetchAndLock"):
            return httpx.Response(200, json=[])
        return httpx.Response(204)


async def the_calls(client) -> None:
    await client.fetch_and_lock(["route_application", "record_decision"])
    await client.complete("t1", VARIABLES)
    await client.failure("t1", "ValueError: abc", "Traceback …", 2, 5000)
    await client.bpmn_failure("t1", "policy_unknown", "政策不存在", VARIABLES)


def described(request: httpx.Request) -> tuple:
    body = json.loads(request.content)
    body.pop("maxTasks", None)
    headers = {name: request.headers.get(name) for name in ("authorization", "content-type")}
    return request.method, str(request.url), headers, body, request.extensions["timeout"]


def test_every_request_is_the_librarys(monkeypatch):
    ours, theirs = Recorder(), Recorder()
    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=httpx.MockTransport(ours))
    real_client = httpx.AsyncClient
    # The library builds a client per call: give each one the recording transport.
    monkeypatch.setattr(httpx, "AsyncClient", lambda: real_client(transport=httpx.MockTransport(theirs)))
    library = AsyncExternalTaskClient("w1", URL, CONFIG)

    async def both():
        await the_calls(pooled)
        await the_calls(library)
        await pooled.aclose()

    asyncio.run(both())
    assert [described(r) for r in ours.requests] == [described(r) for r in theirs.requests]
    assert json.loads(theirs.requests[0].content)["maxTasks"] == 1  # what the library hard-codes
    assert ours.requests[0].extensions["timeout"]["read"] == 15  # the long poll and a margin, as the library


def test_a_poll_asks_for_the_tasks_it_is_told_and_every_call_has_a_timeout():
    recorder = Recorder()
    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=httpx.MockTransport(recorder))

    async def calls():
        await pooled.fetch_and_lock(["route_application"], max_tasks=6)
        await pooled.extend_lock("t1", 60_000)
        await pooled.unlock("t1")
        await pooled.aclose()

    asyncio.run(calls())
    fetch, extend, unlock = recorder.requests
    assert json.loads(fetch.content)["maxTasks"] == 6
    assert (extend.url.path, json.loads(extend.content)) == (
        "/engine-rest/external-task/t1/extendLock", {"newDuration": 60_000, "workerId": "w1"}
    )
    assert unlock.url.path == "/engine-rest/external-task/t1/unlock"
    assert {r.headers["authorization"] for r in recorder.requests} == {"Basic aHVpcWktd29ya2VyOnNlY3JldA=="}
    for request in (extend, unlock):
        assert set(request.extensions["timeout"].values()) == {7.0}
    assert pooled.http.is_closed


def test_one_http_client_serves_every_call_of_the_process(monkeypatch):
    made = []

    class Counted(httpx.AsyncClient):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(httpx, "AsyncClient", Counted)
    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=httpx.MockTransport(Recorder()))

    async def many():
        for _ in range(20):
            await the_calls(pooled)
            await pooled.extend_lock("t1", 60_000)
            await pooled.unlock("t1")
        await pooled.aclose()

    asyncio.run(many())
    assert len(made) == 1


@pytest.mark.parametrize("status", [401, 500])
def test_the_engine_refusing_raises_as_the_library_does(status):
    answer = httpx.MockTransport(lambda request: httpx.Response(status, json={"type": "X", "message": "no"}))
    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=answer)

    async def fetch():
        try:
            await pooled.fetch_and_lock(["route_application"], max_tasks=2)
        finally:
            await pooled.aclose()

    with pytest.raises(Exception, match=f"received {status} : X : no"):
        asyncio.run(fetch())


def collision(times: int):
    """A transport whose first ``times`` results the engine rolls back (another transaction changed the case)."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if len(sent) <= times:
            return httpx.Response(500, json={"type": "OptimisticLockingException", "message": "ENGINE-03005 …"})
        return httpx.Response(204)

    return sent, httpx.MockTransport(answer)


def test_a_result_the_engine_rolled_back_for_a_concurrent_change_is_sent_again(monkeypatch):
    monkeypatch.setattr("workers.engine_connection.RESULT_RETRY_BASE_SECONDS", 0)
    sent, transport = collision(times=2)
    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=transport)
    assert asyncio.run(pooled.complete("t1", VARIABLES)) is True
    assert len(sent) == 3
    assert len({request.content for request in sent}) == 1  # the same result each time


def test_a_collision_that_does_not_end_is_reported_after_a_few_tries(monkeypatch):
    monkeypatch.setattr("workers.engine_connection.RESULT_RETRY_BASE_SECONDS", 0)
    sent, transport = collision(times=99)
    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=transport)
    with pytest.raises(Exception, match="OptimisticLockingException"):
        asyncio.run(pooled.complete("t1", VARIABLES))
    assert len(sent) == 4


def test_other_errors_are_not_sent_again(monkeypatch):
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500, json={"type": "ProcessEngineException", "message": "boom"})

    pooled = PooledExternalTaskClient("w1", URL, CONFIG, max_connections=4, transport=httpx.MockTransport(answer))
    with pytest.raises(Exception, match="boom"):
        asyncio.run(pooled.complete("t1", VARIABLES))
    assert len(sent) == 1
