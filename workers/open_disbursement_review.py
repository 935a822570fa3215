"""Topic open_disbursement_review: the finance bureau's 审核拨付资金 due date, not charged with the
department's objection handling (R9, R19, R20; the rule in domain/timeliness/reentry.py).

For funds the city approved and the county pays (五.二) this is the first step after the department's
登记市级审查结果 task: it keeps the city's result as a record (issue 11), which the payment order pays
from. A result the city posted by callback was recorded when it arrived.
"""

from __future__ import annotations

import datetime as dt

from domain.fulfilment.municipal_result import MunicipalResultService
from domain.timeliness.reentry import disbursement_due
from workers import resources
from workers.task import TaskContext

TOPIC = "open_disbursement_review"
RECORD_MUNICIPAL_RESULT = "record_municipal_result"


def handle(task: TaskContext) -> dict:
    decided = task.optional("decisionDate")
    from_city = record_municipal_result(task)
    spans = resources.history().task_spans(task.process_instance_id, "resolve_objection")
    due_at = disbursement_due(
        resources.calendar(),
        resources.clock().today(),
        as_day(decided),
        spans,
        from_city,
    )
    return {"disbursementDue": due_at}


def record_municipal_result(task: TaskContext) -> bool:
    """Keep the values of the department's 登记市级审查结果 task once, as record_decision keeps the decide
    form's (issue 11); return whether the county pays funds the city approved, read from the record."""
    case = task.case().ref
    tasks = [
        a for a in resources.history().activities(task.process_instance_id, activityId=RECORD_MUNICIPAL_RESULT)
        if a.get("endTime")
    ]  # fmt: skip
    with resources.database().session_scope() as session:
        results = MunicipalResultService(session)
        record = results.for_case(case)
        latest = tasks[-1] if tasks else None
        # A task the city's callback cancelled: the callback recorded its own result when it arrived.
        # Recorded once per task: a variable changed afterwards (or a retry) changes nothing.
        if latest and not latest.get("canceled") and (record is None or record.source_reference != latest["id"]):
            record = results.record(
                case,
                task.var("municipalResult"),
                task.optional("municipalDocumentNumber", ""),
                task.optional("municipalAmount"),
                task.optional("municipalPayer"),
                source="tasklist",
                source_reference=latest["id"],
                recorded_at=resources.clock().now(),
            )
        return record is not None and record.result == "approved" and record.payer == "county"


def as_day(value) -> dt.date | None:
    """decisionDate as the worker stored it (a date travels as yyyy-mm-dd text)."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])
