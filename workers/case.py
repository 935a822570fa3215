"""Reading a case's common facts from a task's variables."""

from __future__ import annotations

from domain.notices.services import CaseRef
from workers.task import TaskContext


def case_ref(task: TaskContext) -> CaseRef:
    return CaseRef(task.process_instance_id, application_number(task))


def application_number(task: TaskContext) -> str:
    """The case's number: the business key the window gave, else the process instance id."""
    return task.optional("applicationNumber") or task.business_key or task.process_instance_id
