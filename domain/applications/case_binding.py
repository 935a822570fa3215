"""Every case has its application record and its number, drawn once and kept (R1, R16).

A case started by the web UI (online, or the window's intake page) comes with its application's
number as business key; a case started in Tasklist comes with whatever the clerk typed, or nothing.
The typed key is never trusted: it is taken only when it is the number of an application of the same
enterprise and policy that no other case holds yet. Otherwise the case gets a fresh number and its own
application record, in a transaction of its own, before anything can fail: a re-run of the task finds
it (no gap), and a refused case keeps its number (no reuse).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.applications.models import Application
from domain.applications.numbering import next_application_number
from domain.applications.submission import STARTING
from domain.clock import CHINA
from domain.policies.services import PolicyService

TASKLIST = "tasklist"  # who filed a case started in Tasklist, when the start form does not say


@dataclass(frozen=True)
class CaseBinding:
    """A case's application: its number, the guide version it was filed under, the day it was filed."""

    number: str
    guide_version: int
    filed_on: dt.date

    @classmethod
    def of(cls, application: Application, today: dt.date) -> CaseBinding:
        filed = application.submitted_at.astimezone(CHINA).date() if application.submitted_at else today
        # Never after today: with a fixed business date (training, tests) the clock's day is the filing day.
        return cls(application.number, application.guide_version, min(filed, today))


def case_token(process_instance_id: str) -> str:
    """The one-time token of a case's own application record: one record per case, found again on a re-run."""
    return f"case:{process_instance_id}"


def bind_case(
    session: Session, process_instance_id: str, business_key: str | None, values: dict[str, Any], today: dt.date
) -> CaseBinding:
    """The application of this case: found again, taken from its web application, or recorded now."""
    bound = session.scalar(select(Application).where(Application.process_instance_id == process_instance_id))
    if bound is not None:
        return CaseBinding.of(bound, today)
    if business_key:
        filed = session.scalar(select(Application).where(Application.number == business_key))
        if (
            filed is not None
            and (
                filed.process_instance_id in (None, process_instance_id)
                or filed.process_instance_id.startswith(STARTING)  # the web UI is starting this very case
            )
            and filed.credit_code == values.get("creditCode")
            and filed.policy_code == values.get("policyCode")
        ):
            filed.process_instance_id = process_instance_id
            session.flush()
            return CaseBinding.of(filed, today)
    policy = PolicyService(session).find_published(values.get("policyCode") or "")
    application = Application(
        number=next_application_number(session, today),
        submit_token=case_token(process_instance_id),
        credit_code=_text(values.get("creditCode"), 18),
        enterprise_name=_text(values.get("enterpriseName"), 200),
        contact_name=_text(values.get("contactName"), 50),
        phone=_text(values.get("contactPhone"), 32),
        email=values.get("contactEmail") or None,
        policy_code=_text(values.get("policyCode"), 32),
        guide_version=policy.version if policy is not None else 0,
        summary=values.get("applicationSummary") or "",
        payee_bank=values.get("payeeBank") or None,
        payee_account=values.get("payeeAccount") or None,
        channel="window",
        submitted_by=_text(values.get("intakeBy") or TASKLIST, 64),
        process_instance_id=process_instance_id,
    )
    session.add(application)
    session.flush()
    return CaseBinding(application.number, application.guide_version, today)


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]
