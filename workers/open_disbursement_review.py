"""Topic open_disbursement_review: the finance bureau's 审核拨付资金 due date, not charged with the
department's objection handling (R9, R19, R20; the rule in domain/timeliness/reentry.py)."""

from __future__ import annotations

import datetime as dt

from domain.timeliness.reentry import disbursement_due
from workers import resources
from workers.task import TaskContext

TOPIC = "open_disbursement_review"


def handle(task: TaskContext) -> dict:
    decided = task.optional("decisionDate")
    from_city = task.optional("municipalResult") == "approved" and task.optional("municipalPayer") == "county"
    spans = resources.history().task_spans(task.process_instance_id, "resolve_objection")
    due_at = disbursement_due(
        resources.calendar(),
        resources.clock().today(),
        as_day(decided),
        spans,
        from_city,
    )
    return {"disbursementDue": due_at}


def as_day(value) -> dt.date | None:
    """decisionDate as the worker stored it (a date travels as yyyy-mm-dd text)."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])
