"""Serve every topic from one long-polling fetch loop; report results; stop cleanly.

- One ``fetchAndLock`` request for all topics, held by the engine up to ``long_poll_ms``: a new
  task is handed out within milliseconds of its creation.
- A handler runs in a thread; a BusinessError becomes a BPMN error, any other exception a
  failure with a readable message, bounded retries and growing waits; the last becomes an
  incident in Cockpit.
- An unreachable engine is retried with doubling waits up to a ceiling, never a tight loop.
- SIGTERM / Ctrl-C: let the current poll end (tasks it brings are unlocked), let running
  handlers finish (up to a grace period), exit; a second signal stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Callable
from typing import Any

from camunda.client.async_external_task_client import AsyncExternalTaskClient
from camunda.external_task.async_external_task_executor import AsyncExternalTaskExecutor
from camunda.external_task.external_task import ExternalTask, TaskResult

from domain.cases import declared
from domain.config import EngineSettings, WorkerSettings
from domain.deadlines import DueMoment, provisional_names
from domain.engine import EngineClient, EngineError
from domain.engine.external_tasks import ExternalTaskGateway
from domain.engine.variables import from_camunda, to_camunda_all
from workers.task import BusinessError, TaskContext

log = logging.getLogger("workers")

Handler = Callable[[TaskContext], dict[str, Any] | None]


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
    ) -> None:
        self.settings = settings
        self.handlers = handlers
        self.grace_seconds = grace_seconds
        self.client = AsyncExternalTaskClient(
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
        )
        self.executor = AsyncExternalTaskExecutor(settings.worker_id, self.client)
        self.stopping = asyncio.Event()
        self.running: set[asyncio.Task] = set()
        self.slots = asyncio.Semaphore(settings.max_concurrent_tasks)
        self.refused_login = False
        self.engine = EngineClient.as_service(engine)
        self.external_tasks = ExternalTaskGateway(self.engine)
        self._fetching: asyncio.Task | None = None

    def stop(self) -> None:
        """Ask the runner to stop (safe from a signal handler); a second call stops at once."""
        if self.stopping.is_set() and self._fetching is not None:
            self._fetching.cancel()
        self.stopping.set()

    async def run(self) -> None:
        """Serve until stop(); then finish the current poll and the running handlers, and return."""
        log.info("工作进程 %s 开始服务主题：%s", self.settings.worker_id, "、".join(self.handlers))
        self._fetching = asyncio.create_task(self._fetch_loop())
        await self.stopping.wait()
        # The poll in flight is left to end by itself (at most long_poll_ms): cancelling it would
        # leave the engine a request it still answers, locking a new task to a worker that is gone.
        poll_ends = self.settings.long_poll_ms / 1000 + 5
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(self._fetching, timeout=poll_ends)
        if self.running:
            log.info("等待 %d 个正在执行的任务完成…", len(self.running))
            _done, pending = await asyncio.wait(self.running, timeout=self.grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self.engine.close()
        log.info("工作进程 %s 已停止。", self.settings.worker_id)

    async def _fetch_loop(self) -> None:
        backoff = Backoff(self.settings.reconnect_min_seconds, self.settings.reconnect_max_seconds)
        topics = list(self.handlers)
        while not self.stopping.is_set():
            await self.slots.acquire()
            if self.stopping.is_set():
                self.slots.release()
                return
            try:
                answer = await self.client.fetch_and_lock(topics)
            except Exception as exc:  # engine down, timeout…
                self.slots.release()
                if _is_refused_login(exc):
                    # Loud, and at the longest wait: the engine only delays (it never locks the account
                    # for good, see engine/application.yaml), so the worker resumes once the password is fixed.
                    self.refused_login = True
                    delay = backoff.maximum
                    log.error("%s；%.0f 秒后重试。", _describe(exc), delay)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.stopping.wait(), timeout=delay)
                    continue
                self.refused_login = False
                delay = backoff.next()
                log.warning("无法从流程引擎获取任务（%s）；%.1f 秒后重试。", _describe(exc), delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=delay)
                continue
            backoff.reset()
            tasks = [ExternalTask(context) for context in answer or []]
            if not tasks:
                self.slots.release()
                continue
            if self.stopping.is_set():  # fetched while stopping: hand them back at once
                self.slots.release()
                await asyncio.gather(*(self._unlock(task) for task in tasks))
                return
            for external_task in tasks:
                running = asyncio.create_task(self._execute(external_task))
                self.running.add(running)
                running.add_done_callback(self.running.discard)
                running.add_done_callback(lambda _t: self.slots.release())

    async def _unlock(self, external_task: ExternalTask) -> None:
        try:
            await asyncio.to_thread(self.external_tasks.unlock, external_task.get_task_id())
        except EngineError as exc:  # the lock expires by itself then
            log.warning("无法释放任务 %s：%s", external_task.get_task_id(), exc)

    async def _execute(self, external_task: ExternalTask) -> None:
        context = self._context(external_task)
        try:
            await self.executor.execute_task(external_task, lambda task: self._run_handler(task, context))
        except Exception as exc:  # reporting failed: the lock expires and the task comes back
            context.log.error("无法向流程引擎报告任务结果：%s", _describe(exc))

    async def _run_handler(self, external_task: ExternalTask, context: TaskContext) -> TaskResult:
        handler = self.handlers[context.topic]
        keep_lock = asyncio.create_task(self._extend_lock(context))
        try:
            variables = await asyncio.to_thread(handler, context)
            for name in variables or {}:
                declared(name)  # a handler returns only variables of the vocabulary (domain/cases.py)
            variables = with_deadline_basis(variables or {}, context.variables.get("deadlineBasis"))
            variables = with_provisional_marks(variables, context.variables.get("provisionalDeadlines"))
        except BusinessError as error:
            context.log.info("业务异常 %s：%s", error.code, error.message)
            error_variables = with_deadline_basis(error.variables, context.variables.get("deadlineBasis"))
            error_variables = with_provisional_marks(error_variables, context.variables.get("provisionalDeadlines"))
            return external_task.bpmn_error(error.code, error.message, to_camunda_all(error_variables))
        except Exception as exc:
            left, wait_ms = retry_plan(context.retries, self.settings.task_retries, self.settings.task_retry_base_ms)
            message = f"{type(exc).__name__}: {exc}"[:600]
            context.log.error("任务执行失败（剩余重试 %d 次）：%s", left, message)
            return external_task.failure(
                error_message=message,
                error_details=traceback.format_exc(),
                max_retries=self.settings.task_retries,
                retry_timeout=wait_ms,
            )
        finally:
            keep_lock.cancel()
        context.log.info("任务完成")
        return external_task.complete(to_camunda_all(variables or {}))

    async def _extend_lock(self, context: TaskContext) -> None:
        """Slow work keeps its task: renew the lock at half its duration until the handler ends."""
        lock_ms = self.settings.lock_duration_ms
        while True:
            await asyncio.sleep(lock_ms / 2000)
            try:
                await asyncio.to_thread(
                    self.external_tasks.extend_lock, context.task_id, lock_ms, self.settings.worker_id
                )
                context.log.info("任务仍在执行，锁定延长 %d 毫秒", lock_ms)
            except EngineError as exc:  # the lock may be lost: the effect's idempotency key still holds
                context.log.warning("无法延长任务锁定：%s", exc)

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
