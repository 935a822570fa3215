"""Serve every topic from long polls sized to the free handler slots; report results; stop cleanly.

- One connection pool for every call to the engine (engine_connection.py). A poll asks for as many tasks as
  there are free slots (WORKER_MAX_TASKS in all), held by the engine up to ``long_poll_ms``; a second poller
  asks for the slots freed while the first one's poll is out, so that slots do not sit idle.
- A handler runs in a thread (one per slot); a BusinessError becomes a BPMN error, any other exception a
  failure with a readable message, bounded retries and growing waits, the last an incident in Cockpit. A
  slow handler's lock is extended at half its duration.
- An unreachable engine is retried with doubling waits up to a ceiling, a refused login is an error line
  and the longest wait; pollers failing together wait once, with one line.
- SIGTERM / Ctrl-C: let the polls in flight end (tasks they bring are unlocked), let running handlers
  finish (up to a grace period), close the pool, exit; a second signal stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from camunda.external_task.async_external_task_executor import AsyncExternalTaskExecutor
from camunda.external_task.external_task import ExternalTask, TaskResult

from domain.cases import declared
from domain.config import EngineSettings, WorkerSettings
from domain.deadlines import DueMoment, provisional_names
from domain.engine.variables import from_camunda, to_camunda_all
from workers.engine_connection import worker_client
from workers.task import BusinessError, TaskContext

log = logging.getLogger("workers")

Handler = Callable[[TaskContext], dict[str, Any] | None]
POLLERS = 2  # a poll out for the slots that free up while the other one is out


class Backoff:
    """Doubling waits between ``minimum`` and ``maximum`` seconds."""

    def __init__(self, minimum: float, maximum: float) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.current = minimum

    def next(self) -> float:
        delay = self.current
        self.current = min(self.current * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self.current = self.minimum


def retry_plan(task_retries: int | None, max_retries: int, base_ms: int) -> tuple[int, int]:
    """Return (retries left after this failure, wait in ms before the next attempt).

    The engine's counter is empty on the first attempt; each failure sets it to what is left
    (max_retries, then one less each time); 0 makes an incident. Waits double per failure.
    """
    left = max_retries if task_retries is None else max(task_retries - 1, 0)
    failures_before = 0 if task_retries is None else max_retries - task_retries + 1
    return left, base_ms * 2 ** max(failures_before, 0)


class Slots:
    """Free handler slots: a poll claims every free one, gives back those its answer leaves empty."""

    def __init__(self, total: int) -> None:
        self.free = total
        self._freed = asyncio.Event()

    async def claim(self, stopping: asyncio.Event) -> int:
        """Wait until a slot is free; claim all free ones and return how many (0 once stopping)."""
        while self.free == 0 and not stopping.is_set():
            self._freed.clear()
            await self._freed.wait()
        if stopping.is_set():
            return 0
        claimed, self.free = self.free, 0
        return claimed

    def release(self, count: int = 1) -> None:  # 0: wake the pollers waiting for one (to see a stop)
        self.free += count
        self._freed.set()


class TaskLogAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return f"[{self.extra['business_key']} {self.extra['topic']}] {msg}", kwargs


class Runner:
    """Fetch, execute and report external tasks for a set of topic handlers."""

    def __init__(
        self,
        engine: EngineSettings,
        settings: WorkerSettings,
        handlers: dict[str, Handler],
        grace_seconds: float = 30.0,
        pollers: int = POLLERS,
        transport: httpx.AsyncBaseTransport | None = None,  # tests only: where requests go instead of the network
    ) -> None:
        self.settings, self.handlers, self.grace_seconds, self.pollers = settings, handlers, grace_seconds, pollers
        self.client = worker_client(engine, settings, pollers, transport)
        self.executor = AsyncExternalTaskExecutor(settings.worker_id, self.client)
        self.stopping = asyncio.Event()
        self.running: set[asyncio.Task] = set()
        self.slots = Slots(settings.max_concurrent_tasks)
        self.threads = ThreadPoolExecutor(settings.max_concurrent_tasks, thread_name_prefix="handler")
        self.refused_login = False
        self._backoff = Backoff(settings.reconnect_min_seconds, settings.reconnect_max_seconds)
        self._polling: list[asyncio.Task] = []
        self._pause: asyncio.Task | None = None

    def stop(self) -> None:
        """Ask the runner to stop (safe from a signal handler); a second call stops at once."""
        if self.stopping.is_set():
            for poller in self._polling:
                poller.cancel()
        self.stopping.set()
        self.slots.release(0)

    async def run(self) -> None:
        """Serve until stop(); then finish the polls in flight and the running handlers, and return."""
        log.info("工作进程 %s 开始服务主题：%s", self.settings.worker_id, "、".join(self.handlers))
        self._polling = [asyncio.create_task(self._poll(list(self.handlers))) for _ in range(self.pollers)]
        await self.stopping.wait()
        # The polls in flight are left to end by themselves (at most long_poll_ms): cancelling one would
        # leave the engine a request it still answers, locking a new task to a worker that is gone.
        _ended, pending = await asyncio.wait(self._polling, timeout=self.settings.long_poll_ms / 1000 + 5)
        for poller in pending:
            poller.cancel()
        await asyncio.gather(*self._polling, return_exceptions=True)
        if self.running:
            log.info("等待 %d 个正在执行的任务完成…", len(self.running))
            _done, pending = await asyncio.wait(self.running, timeout=self.grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self.client.aclose()
        self.threads.shutdown(wait=False, cancel_futures=True)
        log.info("工作进程 %s 已停止。", self.settings.worker_id)

    async def _poll(self, topics: list[str]) -> None:
        """Claim the free slots, lock that many tasks, start their handlers; again until stopped."""
        while not self.stopping.is_set():
            if self._pause is not None:  # another poller found the engine away: wait with it
                await self._pause
            wanted = await self.slots.claim(self.stopping)
            if not wanted:
                return
            try:
                answer = await self.client.fetch_and_lock(topics, max_tasks=wanted)
                tasks = [ExternalTask(context) for context in answer or []]
            except Exception as exc:  # engine down, timeout, refused login…
                self.slots.release(wanted)
                if self._pause is None or self._pause.done():
                    self._pause = asyncio.create_task(self._wait_after(exc))
                await self._pause
                continue
            self._backoff.reset()
            self.refused_login = False
            self.slots.release(wanted - len(tasks))
            if self.stopping.is_set():  # fetched while stopping: hand them back at once
                self.slots.release(len(tasks))
                await asyncio.gather(*(self._unlock(task) for task in tasks))
                return
            for external_task in tasks:
                running = asyncio.create_task(self._execute(external_task))
                self.running.add(running)
                running.add_done_callback(self.running.discard)
                running.add_done_callback(lambda _t: self.slots.release())

    async def _wait_after(self, exc: Exception) -> None:
        """The wait before the next poll after a failed one (or until stopped), logged once."""
        if _is_refused_login(exc):
            # Loud, and at the longest wait: the engine only delays (it never locks the account for
            # good, see engine/application.yaml), so the worker resumes once the password is fixed.
            self.refused_login = True
            delay = self._backoff.maximum
            log.error("%s；%.0f 秒后重试。", _describe(exc), delay)
        else:
            self.refused_login = False
            delay = self._backoff.next()
            log.warning("无法从流程引擎获取任务（%s）；%.1f 秒后重试。", _describe(exc), delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=delay)

    async def _unlock(self, external_task: ExternalTask) -> None:
        try:
            await self.client.unlock(external_task.get_task_id())
        except Exception as exc:  # the lock expires by itself then
            log.warning("无法释放任务 %s：%s", external_task.get_task_id(), _describe(exc))

    async def _execute(self, external_task: ExternalTask) -> None:
        context = self._context(external_task)
        try:
            await self.executor.execute_task(external_task, lambda task: self._run_handler(task, context))
        except Exception as exc:  # reporting failed: the lock expires and the task comes back
            context.log.error("无法向流程引擎报告任务结果：%s", _describe(exc))

    async def _in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        """asyncio.to_thread on the runner's own pool: one thread per handler slot."""
        call = functools.partial(contextvars.copy_context().run, function, *args)
        return await asyncio.get_running_loop().run_in_executor(self.threads, call)

    async def _run_handler(self, external_task: ExternalTask, context: TaskContext) -> TaskResult:
        keep_lock = asyncio.create_task(self._extend_lock(context))
        try:
            error, variables = await self._in_thread(handled, self.handlers[context.topic], context)
        except Exception as exc:
            left, wait_ms = retry_plan(context.retries, self.settings.task_retries, self.settings.task_retry_base_ms)
            message = f"{type(exc).__name__}: {exc}"[:600]
            context.log.error("任务执行失败（剩余重试 %d 次）：%s", left, message)
            return external_task.failure(message, traceback.format_exc(), self.settings.task_retries, wait_ms)
        finally:
            keep_lock.cancel()
        if error is not None:
            context.log.info("业务异常 %s：%s", error.code, error.message)
            return external_task.bpmn_error(error.code, error.message, variables)
        context.log.info("任务完成")
        return external_task.complete(variables)

    async def _extend_lock(self, context: TaskContext) -> None:
        """Slow work keeps its task: renew the lock at half its duration until the handler ends."""
        lock_ms = self.settings.lock_duration_ms
        while True:
            await asyncio.sleep(lock_ms / 2000)
            try:
                await self.client.extend_lock(context.task_id, lock_ms)
                context.log.info("任务仍在执行，锁定延长 %d 毫秒", lock_ms)
            except Exception as exc:  # the lock may be lost: the effect's idempotency key still holds
                context.log.warning("无法延长任务锁定：%s", _describe(exc))

    def _context(self, external_task: ExternalTask) -> TaskContext:
        business_key = external_task.get_business_key()
        topic = external_task.get_topic_name()
        raw = external_task._context  # the fetched JSON: retries is not exposed otherwise
        return TaskContext(
            topic=topic,
            task_id=external_task.get_task_id(),
            process_instance_id=external_task.get_process_instance_id(),
            business_key=business_key,
            activity_id=external_task.get_activity_id(),
            retries=raw.get("retries"),
            variables={name: from_camunda(typed) for name, typed in raw.get("variables", {}).items()},
            log=TaskLogAdapter(
                log, {"business_key": business_key or external_task.get_process_instance_id(), "topic": topic}
            ),
        )


def handled(handler: Handler, context: TaskContext) -> tuple[BusinessError | None, dict[str, Any]]:
    """In the handler's thread (the event loop never waits for CPU work, such as loading the calendar): run it;
    return its business error if it raised one, and the variables to report, deadline marks added, typed."""
    error = None
    try:
        variables = handler(context) or {}
        for name in variables:
            declared(name)  # a handler returns only variables of the vocabulary (domain/cases.py)
    except BusinessError as raised:
        error, variables = raised, raised.variables
    variables = with_deadline_basis(variables, context.variables.get("deadlineBasis"))
    return error, to_camunda_all(with_provisional_marks(variables, context.variables.get("provisionalDeadlines")))


def with_deadline_basis(variables: dict[str, Any], known: dict | None) -> dict[str, Any]:
    """The variables, plus how each deadline among them was counted (kept with the case's earlier ones)."""
    counted = {name: value.basis() for name, value in variables.items() if isinstance(value, DueMoment)}
    if not counted:
        return variables
    return {**variables, "deadlineBasis": {**(known or {}), **counted}}


def with_provisional_marks(variables: dict[str, Any], known: str | None) -> dict[str, Any]:
    """The variables, plus which deadlines are counted provisionally (the tasks' Tasklist marker)."""
    from workers import resources  # the working-day calendar of this worker process

    names = provisional_names(resources.calendar(), variables, known)
    return variables if names is None else {**variables, "provisionalDeadlines": names}


def _is_refused_login(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None) == 401 or str(exc).startswith("received 401")


def _describe(exc: BaseException) -> str:
    if _is_refused_login(exc):
        return "流程引擎拒绝了工作进程的登录（HTTP 401），请检查 CAMUNDA_USER / CAMUNDA_PASSWORD"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
