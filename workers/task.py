"""What a handler sees of an external task, and how it says "business error"."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from domain.cases import CaseFacts, declared


class BusinessError(Exception):
    """A business outcome the BPMN models as an error event (reported as a BPMN error, no retry).

    ``code`` must equal the ``errorCode`` of a ``bpmn:error`` caught in the diagram.
    """

    def __init__(self, code: str, message: str, variables: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.variables = variables or {}


class MissingVariable(Exception):
    """The process did not provide a variable the handler needs."""


@dataclass
class TaskContext:
    """One locked external task, as handed to a handler."""

    topic: str
    task_id: str
    process_instance_id: str
    business_key: str | None
    activity_id: str
    retries: int | None
    variables: dict[str, Any]
    log: logging.LoggerAdapter = field(repr=False)

    def case(self) -> CaseFacts:
        """The case's common facts: number, enterprise, policy, department."""
        return CaseFacts.from_variables(self.process_instance_id, self.business_key, self.variables)

    def var(self, name: str) -> Any:
        """Return the declared process variable, or raise MissingVariable naming it."""
        if self.variables.get(declared(name)) is None:
            raise MissingVariable(f"流程变量 {name} 缺失（任务 {self.activity_id}）")
        return self.variables[name]

    def optional(self, name: str, default: Any = None) -> Any:
        value = self.variables.get(declared(name))
        return default if value is None else value
