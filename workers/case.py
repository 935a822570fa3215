"""Reading a case's common facts from a task's variables."""

from __future__ import annotations

from domain.notices.channels import channels_for
from domain.notices.services import Addressee, CaseRef
from workers import resources
from workers.task import TaskContext


def case_ref(task: TaskContext) -> CaseRef:
    return CaseRef(task.process_instance_id, application_number(task))


def application_number(task: TaskContext) -> str:
    """The case's number: the business key the window gave, else the process instance id."""
    return task.optional("applicationNumber") or task.business_key or task.process_instance_id


def enterprise(task: TaskContext) -> Addressee:
    """The applying enterprise as the addressee of a notice."""
    return Addressee(task.var("creditCode"), task.optional("contactEmail"), task.optional("contactPhone"))


def enterprise_channels(task: TaskContext) -> list[str]:
    """The channels an enterprise notice of this case goes through, beside the portal inbox."""
    to = enterprise(task)
    return channels_for(resources.channels(), to.email, to.phone)
