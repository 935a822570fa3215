"""The one way to the Camunda engine: its REST API, with timeouts, retries and readable errors.

Only this package builds REST paths (a test checks it). Everything else asks a typed gateway:
``cases`` (start, correlate, find a running case), ``tasks`` (open tasks, due dates, timers, groups),
``history`` (timeline, outcome, experts' answers, dashboard figures); ``deployment`` and ``identity``
are the operator's commands; ``variables`` is the one codec for Camunda's typed values and dates. (The
worker runner's own fetch, lock extension and unlock go through its pooled client, workers/engine_connection.py.)
"""

from domain.engine.client import EngineClient
from domain.engine.errors import (
    EngineAuthError,
    EngineError,
    EngineForbidden,
    EngineNotFound,
    EngineRequestError,
    EngineUnavailable,
)

__all__ = [
    "EngineAuthError",
    "EngineClient",
    "EngineError",
    "EngineForbidden",
    "EngineNotFound",
    "EngineRequestError",
    "EngineUnavailable",
]
