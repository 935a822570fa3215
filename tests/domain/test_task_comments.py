"""A warning written on a task that lives on meanwhile (found by the two-node test): a task a user completed
while the comment was being written is skipped; a write that collided with another is tried again."""

from __future__ import annotations

from typing import Any

import pytest

from domain.engine import EngineError, EngineNotFound
from domain.engine.tasks import TaskGateway


class TaskOnTheMove:
    """The REST calls comment_once makes, against one task that completes or collides when told to."""

    def __init__(self, completed_at: str | None = None, collisions: int = 0) -> None:
        self.completed_at = completed_at  # the call before which a user completes the task
        self.collisions = collisions  # how many description writes fail with optimistic locking
        self.completed = False
        self.comments: list[str] = []
        self.description = ""

    def _step(self, call: str) -> None:
        if call == self.completed_at:
            self.completed = True
        if self.completed:
            raise EngineNotFound("No matching task with id t1")

    def get(self, path: str, **_params: Any) -> Any:
        self._step(f"GET {path}")
        if path.endswith("/comment"):
            return [{"message": m} for m in self.comments]
        return {"id": "t1", "name": "部门初步审查", "description": self.description}

    def post(self, path: str, body: Any = None) -> Any:
        self._step(f"POST {path}")
        self.comments.append(body["message"])

    def put(self, path: str, body: Any = None) -> None:
        self._step(f"PUT {path}")
        if self.collisions:
            self.collisions -= 1
            raise EngineError("ENGINE-03005 Entity was updated by another transaction concurrently")
        self.description = body["description"]


@pytest.mark.parametrize("completed_at", ["GET /task/t1/comment", "POST /task/t1/comment/create", "PUT /task/t1"])
def test_a_task_completed_meanwhile_is_skipped(completed_at):
    task = TaskOnTheMove(completed_at=completed_at)
    assert TaskGateway(task).comment_once("t1", "【超期预警】…") is False  # type: ignore[arg-type]


def test_a_colliding_write_is_tried_again_and_the_comment_is_written_once():
    task = TaskOnTheMove(collisions=2)
    TaskGateway(task).comment_once("t1", "【超期预警】…")  # type: ignore[arg-type]
    assert task.comments == ["【超期预警】…"]
    assert task.description == "【超期预警】…"


def test_collisions_without_end_are_raised():
    task = TaskOnTheMove(collisions=5)
    with pytest.raises(EngineError):
        TaskGateway(task).comment_once("t1", "【超期预警】…")  # type: ignore[arg-type]
