"""The one way to the Camunda engine: its REST API, with timeouts, retries and readable errors.

Business code (policies, applications…) never imports this; the workers, the web UI and the
operator commands (deploy, identity bootstrap) do.
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
