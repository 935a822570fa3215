"""ExternalTaskGateway: what the worker runner asks of the engine beyond fetch and complete."""

from __future__ import annotations

from domain.engine.client import EngineClient


class ExternalTaskGateway:
    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def unlock(self, task_id: str) -> None:
        """Give a locked task back, so that another worker takes it at once."""
        self.client.post(f"/external-task/{task_id}/unlock")

    def extend_lock(self, task_id: str, duration_ms: int, worker_id: str) -> None:
        """Keep a slow task locked to this worker for ``duration_ms`` more."""
        self.client.post(f"/external-task/{task_id}/extendLock", {"newDuration": duration_ms, "workerId": worker_id})

    def activity_of(self, task_id: str) -> str:
        return self.client.get(f"/external-task/{task_id}")["activityId"]
