"""Errors of the engine client, each with a message an operator can act on (Chinese for users)."""


class EngineError(Exception):
    """Anything that went wrong talking to the engine."""


class EngineUnavailable(EngineError):
    """The engine could not be reached (down, wrong URL, timeout).

    ``maybe_done``: the request may have reached the engine (no answer in time, or the connection broke after it
    was sent), so the engine may still carry it out; False when it was never sent (the connection was refused).
    """

    def __init__(self, message: str, maybe_done: bool = False) -> None:
        super().__init__(message)
        self.maybe_done = maybe_done


class EngineAuthError(EngineError):
    """The engine refused the credentials (HTTP 401)."""


class EngineForbidden(EngineError):
    """The user is known but not allowed to do this (HTTP 403, an authorization check)."""


class EngineNotFound(EngineError):
    """The thing asked for does not exist (HTTP 404)."""


class EngineRequestError(EngineError):
    """The engine rejected the request (HTTP 400/500) with its own message."""

    def __init__(
        self, message: str, status: int, engine_type: str = "", details: dict | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.engine_type = engine_type
        # The engine's structured report, e.g. BPMN parse problems per resource.
        self.details = details or {}
