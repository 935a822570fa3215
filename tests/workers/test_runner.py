"""The runner against a fake engine: polls sized to the free slots, one thread per slot, engine trouble, clean stop.

Plus its pure logic: retry waits and reconnection backoff. No real engine here (tests/process has those).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from domain.config import EngineSettings, WorkerSettings
from workers import runner as runner_module
from workers.runner import Backoff, Runner, retry_plan
from workers.task import BusinessError

TOPIC = "bench_noop"
ENGINE = EngineSettings(url="http://engine.test/engine-rest", user="huiqi-worker", password="secret")
WORKER = WorkerSettings(
    worker_id="test-worker", long_poll_ms=400, lock_duration_ms=60_000, max_concurrent_tasks=4,
    task_retries=2, task_retry_base_ms=50, reconnect_min_seconds=0.05, reconnect_max_seconds=0.2,
)  # fmt: skip


class FakeEngine:
    """The external-task REST API as the runner uses it: tasks waiting, long polls, every call recorded.

    It also checks the runner's promise: tasks locked to it and not yet reported, plus what its polls
    in flight ask for, never exceed its handler slots."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.waiting: list[dict] = []
        self.locked: set[str] = set()
        self.asked_in_flight = 0
        self.calls: list[tuple[str, dict]] = []
        self.fetch_sizes: list[int] = []
        self.overbooked: list[str] = []
        self.unreachable = False
        self.refuse_login = False
        self.arrived = asyncio.Event()
        self._next = 0

    def add(self, count: int = 1) -> list[str]:
        ids = []
        for _ in range(count):
            self._next += 1
            ids.append(f"task-{self._next}")
            self.waiting.append({
                "id": ids[-1], "topicName": TOPIC, "workerId": None, "processInstanceId": f"pi-{self._next}",
                "activityId": "noop", "businessKey": f"HQ-{self._next}", "retries": None, "variables": {},
            })  # fmt: skip
        self.arrived.set()
        return ids

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]

    def reported(self, kind: str) -> list[str]:
        return [body["taskId"] for k, body in self.calls if k == kind]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        kind = request.url.path.rsplit("/", 1)[-1]
        body = json.loads(request.content or b"{}")
        if kind != "fetchAndLock":
            body["taskId"] = request.url.path.rsplit("/", 2)[-2]
        self.calls.append((kind, body))
        if self.unreachable:
            raise httpx.ConnectError("connection refused", request=request)
        if self.refuse_login:
            return httpx.Response(401, request=request)
        if kind != "fetchAndLock":
            if kind != "extendLock":
                self.locked.discard(body["taskId"])
            return httpx.Response(204, request=request)
        return await self._fetch(body, request)

    async def _fetch(self, body: dict, request: httpx.Request) -> httpx.Response:
        asked = body["maxTasks"]
        self.fetch_sizes.append(asked)
        if len(self.locked) + self.asked_in_flight + asked > self.slots:
            self.overbooked.append(f"{len(self.locked)} locked + {self.asked_in_flight} asked + {asked}")
        self.asked_in_flight += asked
        try:
            deadline = time.monotonic() + body["asyncResponseTimeout"] / 1000
            while not self.waiting and time.monotonic() < deadline:
                self.arrived.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.arrived.wait(), timeout=deadline - time.monotonic())
            handed, self.waiting = self.waiting[:asked], self.waiting[asked:]
            self.locked |= {task["id"] for task in handed}
            return httpx.Response(200, json=[{**task, "workerId": body["workerId"]} for task in handed])
        finally:
            self.asked_in_flight -= asked


async def until(condition: Callable[[], bool], what: str, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def serve(handler, settings: WorkerSettings = WORKER, **runner_options) -> tuple[FakeEngine, Runner]:
    """A runner of one topic against a fake engine (create inside the event loop)."""
    engine = FakeEngine(settings.max_concurrent_tasks)
    runner = Runner(ENGINE, settings, {TOPIC: handler}, transport=httpx.MockTransport(engine.handle), **runner_options)
    return engine, runner


async def stopped(runner: Runner, serving: asyncio.Task) -> None:
    runner.stop()
    await asyncio.wait_for(serving, timeout=10)


def test_a_poll_asks_for_as_many_tasks_as_there_are_free_slots():
    release = threading.Event()

    def hold(task):
        assert release.wait(10)

    async def scenario():
        engine, runner = serve(hold)
        engine.add(3)
        serving = asyncio.create_task(runner.run())
        # 4 slots: the first poll asks for 4 and gets 3; the slot left over is asked for at once.
        await until(lambda: engine.fetch_sizes == [4, 1], "a poll for 4 then for the free one")
        engine.add(1)  # handed to the poll held for the free slot
        await until(lambda: len(engine.locked) == 4, "all four slots busy")
        await asyncio.sleep(0.3)
        assert engine.fetch_sizes == [4, 1], "no poll while every slot is busy"
        release.set()
        await until(lambda: len(engine.reported("complete")) == 4, "the four completions")
        await until(lambda: sum(engine.fetch_sizes[2:]) >= 4, "polls for the slots freed")
        await stopped(runner, serving)
        return engine

    engine = asyncio.run(scenario())
    assert not engine.overbooked, "never more tasks locked and asked for than free slots"
    assert max(engine.fetch_sizes) == WORKER.max_concurrent_tasks


def test_each_slot_has_its_own_thread():
    settings = dataclasses.replace(WORKER, max_concurrent_tasks=8)
    meeting = threading.Barrier(8, timeout=5)  # more slots than the default executor's threads on 2 cores

    def meet(task):
        meeting.wait()

    async def scenario():
        engine, runner = serve(meet, settings)
        engine.add(8)
        serving = asyncio.create_task(runner.run())
        await until(lambda: len(engine.reported("complete")) == 8, "8 handlers meeting at once")
        await stopped(runner, serving)
        return engine

    engine = asyncio.run(scenario())
    assert engine.reported("failure") == []


def test_the_results_are_prepared_in_the_handlers_thread_never_on_the_event_loop(monkeypatch):
    """The first task loads the working-day calendar (~0.2 s): on the loop, it held every other task's pickup."""
    marked_in = []
    real = runner_module.with_provisional_marks

    def marking(variables, known):
        marked_in.append(threading.current_thread().name)
        return real(variables, known)

    monkeypatch.setattr(runner_module, "with_provisional_marks", marking)

    def handle(task):
        if task.business_key == "HQ-2":
            raise BusinessError("policy_unknown", "政策不存在")

    async def scenario():
        engine, runner = serve(handle)
        engine.add(2)
        serving = asyncio.create_task(runner.run())
        await until(lambda: (engine.reported("complete"), engine.reported("bpmnError")) == (["task-1"], ["task-2"]),
                    "a completion and a BPMN error")  # fmt: skip
        await stopped(runner, serving)

    asyncio.run(scenario())
    assert len(marked_in) == 2 and all(name.startswith("handler") for name in marked_in), marked_in


def test_results_errors_failures_and_lock_extensions_go_through_one_http_client(monkeypatch):
    settings = dataclasses.replace(WORKER, lock_duration_ms=200)
    made = []

    class Counted(httpx.AsyncClient):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(httpx, "AsyncClient", Counted)

    def handle(task):
        match task.business_key:
            case "HQ-1":
                pass
            case "HQ-2":
                raise BusinessError("policy_unknown", "政策不存在")
            case "HQ-3":
                raise ValueError("金额不是有效的数字")
            case _:
                time.sleep(0.35)  # past half the lock: extended

    async def scenario():
        engine, runner = serve(handle, settings)
        engine.add(4)
        serving = asyncio.create_task(runner.run())
        reports = ("complete", "bpmnError", "failure")
        await until(lambda: sum(len(engine.reported(kind)) for kind in reports) == 4, "four reports")
        await until(lambda: engine.asked_in_flight == 4, "the free slots asked for again")
        runner.stop()
        late = engine.add(1)  # brought by a poll held when the stop came: handed back
        await asyncio.wait_for(serving, timeout=10)
        assert engine.reported("unlock") == late
        return engine

    engine = asyncio.run(scenario())
    assert len(made) == 1 and made[0].is_closed, "one pool for every call, closed at the stop"
    assert sorted(engine.reported("complete")) == ["task-1", "task-4"]
    assert engine.reported("bpmnError") == ["task-2"]
    (failure,) = [body for kind, body in engine.calls if kind == "failure"]
    assert (failure["taskId"], failure["retries"], failure["retryTimeout"]) == ("task-3", 2, 50)
    assert failure["errorMessage"] == "ValueError: 金额不是有效的数字" and "Traceback" in failure["errorDetails"]
    extensions = [body for kind, body in engine.calls if kind == "extendLock"]
    assert extensions and all(b == {"taskId": "task-4", "newDuration": 200, "workerId": "test-worker"}
                              for b in extensions)  # fmt: skip


def test_a_clean_stop_unlocks_what_the_last_polls_bring_and_lets_handlers_finish():
    release = threading.Event()
    ran = []

    def hold(task):
        ran.append(task.task_id)
        assert release.wait(10)

    async def scenario():
        engine, runner = serve(hold)
        engine.add(1)
        serving = asyncio.create_task(runner.run())
        await until(lambda: ran == ["task-1"] and engine.asked_in_flight == 3, "a handler running, a poll held")
        runner.stop()
        late = engine.add(1)  # brought by the poll still held when the stop came
        await until(lambda: engine.reported("unlock") == late, "the late task handed back")
        assert not serving.done(), "the running handler is waited for"
        release.set()
        await asyncio.wait_for(serving, timeout=10)
        return engine, runner

    engine, runner = asyncio.run(scenario())
    assert ran == ["task-1"] and engine.reported("complete") == ["task-1"]
    assert runner.client.http.is_closed


def test_a_handler_past_the_grace_period_is_left_to_its_lock():
    release = threading.Event()

    def hold(task):
        release.wait(10)

    async def scenario():
        engine, runner = serve(hold, grace_seconds=0.2)
        engine.add(1)
        serving = asyncio.create_task(runner.run())
        await until(lambda: len(engine.locked) == 1, "the handler running")
        began = time.monotonic()
        await stopped(runner, serving)
        return engine, time.monotonic() - began

    try:
        engine, took = asyncio.run(scenario())
    finally:
        release.set()
    assert took < WORKER.long_poll_ms / 1000 + 1
    assert engine.reported("complete") == []


def test_an_unreachable_engine_is_polled_again_with_doubling_waits_one_line_each(caplog):
    caplog.set_level(logging.WARNING, logger="workers")

    async def scenario():
        engine, runner = serve(lambda task: None)
        engine.unreachable = True
        serving = asyncio.create_task(runner.run())
        await asyncio.sleep(1.0)  # waits 0.05, 0.1, 0.2, 0.2, 0.2…
        attempts = engine.fetch_sizes.copy()
        engine.unreachable = False
        engine.add(2)
        await until(lambda: len(engine.reported("complete")) == 2, "the tasks once the engine is back")
        await stopped(runner, serving)
        return attempts

    attempts = asyncio.run(scenario())
    waits = [r for r in caplog.records if "秒后重试" in r.getMessage()]
    assert 4 <= len(waits) <= 8, [r.getMessage() for r in waits]
    assert len(attempts) <= 2 * len(waits) + 2, "the pollers wait together, never a tight loop"
    assert [r.getMessage().split("；")[1] for r in waits[:3]] == ["0.1 秒后重试。", "0.1 秒后重试。", "0.2 秒后重试。"]


def test_a_refused_login_is_an_error_line_and_the_longest_wait(caplog):
    caplog.set_level(logging.WARNING, logger="workers")

    async def scenario():
        engine, runner = serve(lambda task: None)
        engine.refuse_login = True
        serving = asyncio.create_task(runner.run())
        await asyncio.sleep(0.5)
        refused = runner.refused_login
        await stopped(runner, serving)
        return engine, refused

    engine, refused = asyncio.run(scenario())
    lines = [r for r in caplog.records if "HTTP 401" in r.getMessage()]
    assert refused and lines and all(r.levelno == logging.ERROR and "CAMUNDA_USER" in r.getMessage() for r in lines)
    assert len(lines) <= 4 and len(engine.fetch_sizes) <= 2 * len(lines) + 2


@pytest.mark.parametrize(
    ("engine_retries", "left", "wait_ms"),
    [(None, 3, 1000), (3, 2, 2000), (2, 1, 4000), (1, 0, 8000)],
)
def test_retry_plan_counts_down_and_doubles_the_wait(engine_retries, left, wait_ms):
    assert retry_plan(engine_retries, max_retries=3, base_ms=1000) == (left, wait_ms)


def test_backoff_doubles_up_to_its_ceiling_and_resets():
    backoff = Backoff(1.0, 5.0)
    assert [backoff.next() for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    backoff.reset()
    assert backoff.next() == 1.0
