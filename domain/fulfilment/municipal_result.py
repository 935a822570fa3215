"""The city's result on a reported case, kept when it is recorded (R10; issue 11: money facts from records).

Written by the step that owns it: the department's 登记市级审查结果 task (through the worker that runs
next) or the city's signed callback. The payment order of funds the city approved reads amount and
payer here, never from a process variable that anyone holding the case could change afterwards.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases import CaseRef
from domain.fulfilment.models import MunicipalResult
from domain.fulfilment.services import money

RESULTS = ("approved", "rejected")
PAYERS = ("county", "municipal")
SOURCES = ("tasklist", "callback")


class MunicipalResultService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_case(self, case: CaseRef) -> MunicipalResult | None:
        return self.session.scalar(
            select(MunicipalResult).where(MunicipalResult.process_instance_id == case.process_instance_id)
        )

    def record(
        self,
        case: CaseRef,
        result: str,
        document_number: str,
        amount: Decimal | float | str | None,
        payer: str | None,
        source: str,
        source_reference: str,
        recorded_at: dt.datetime,
    ) -> MunicipalResult:
        """Store the city's result; the result of a later report of the same case (after a return) replaces it.

        Raise ValueError on an unknown result, payer or source, or funds without their payer.
        """
        if result not in RESULTS:
            raise ValueError(f"未知的市级审查结果 “{result}”，应为 approved 或 rejected。")
        if source not in SOURCES:
            raise ValueError(f"未知的登记来源 “{source}”。")
        amount = money(amount) if result == "approved" else None
        payer = payer if amount is not None else None
        if amount is not None and payer not in PAYERS:
            raise ValueError(f"市级核定资金须说明由谁支付（county 或 municipal），而不是 “{payer}”。")
        values = dict(
            result=result, amount=amount, payer=payer, document_number=(document_number or "").strip()[:64],
            source=source, source_reference=source_reference[:120], recorded_at=recorded_at,
        )  # fmt: skip
        record = self.for_case(case)
        if record is None:
            record = MunicipalResult(
                process_instance_id=case.process_instance_id, application_number=case.application_number, **values
            )
            self.session.add(record)
        else:
            for name, value in values.items():
                setattr(record, name, value)
        self.session.flush()
        return record

    def forget(self, case: CaseRef, source_reference: str) -> None:
        """Remove the record written under this reference (a callback the engine then did not take)."""
        record = self.for_case(case)
        if record is not None and record.source_reference == source_reference[:120]:
            self.session.delete(record)
            self.session.flush()
