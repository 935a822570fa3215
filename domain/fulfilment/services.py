"""Services of the fulfilment stage: one record per case each, written once per effect."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.db import get_or_create
from domain.fulfilment.models import Announcement, Decision, MunicipalReport, PaymentOrder
from domain.notices.services import CaseRef

CENT = Decimal("0.01")


def money(value: float | int | str | Decimal | None) -> Decimal | None:
    """An amount in yuan as Decimal with two places (never a float)."""
    if value is None or value == "":
        return None
    amount = Decimal(str(value)).quantize(CENT)
    if amount < 0:
        raise ValueError(f"金额不能为负：{amount}")
    return amount


class DecisionService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        case: CaseRef,
        department_group: str,
        policy_code: str,
        result: str,
        approved_amount: float | None,
        opinion: str,
        decided_on: dt.date,
    ) -> Decision:
        """Store the decision; a new decision after the finance bureau returned the case replaces it."""
        if result not in ("approved", "rejected"):
            raise ValueError(f"未知的审查结果 “{result}”，应为 approved 或 rejected。")
        decision = self.session.scalar(select(Decision).where(Decision.process_instance_id == case.process_instance_id))
        values = dict(
            department_group=department_group,
            policy_code=policy_code,
            result=result,
            approved_amount=money(approved_amount) if result == "approved" else None,
            opinion=opinion,
            decided_on=decided_on,
        )
        if decision is None:
            decision = Decision(
                process_instance_id=case.process_instance_id,
                application_number=case.application_number,
                **values,
            )
            self.session.add(decision)
        elif (decision.result, decision.opinion, decision.decided_on) != (result, opinion, decided_on):
            for name, value in values.items():
                setattr(decision, name, value)
            decision.round += 1
        self.session.flush()
        return decision


class AnnouncementService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def publish(
        self, case: CaseRef, round_: int, title: str, body: str, now: dt.datetime, ends: dt.datetime
    ) -> Announcement:
        """Publish the announcement of this round once; return it."""
        announcement, _ = get_or_create(
            self.session,
            Announcement,
            {"idempotency_key": f"{case.process_instance_id}:{round_}"},
            process_instance_id=case.process_instance_id,
            application_number=case.application_number,
            title=title,
            body=body,
            published_at=now,
            objection_period_ends=ends,
        )
        return announcement


class PaymentOrderService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def order(self, case: CaseRef, **values) -> PaymentOrder:
        """The case's payment order: created the first time, the same one on every later call (R9)."""
        order, _ = get_or_create(
            self.session,
            PaymentOrder,
            {"process_instance_id": case.process_instance_id},
            application_number=case.application_number,
            **values,
        )
        return order


class MunicipalReportService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def report(self, case: CaseRef, **values) -> MunicipalReport:
        """The case's report to the municipal department, stored once (R10)."""
        report, _ = get_or_create(
            self.session,
            MunicipalReport,
            {"process_instance_id": case.process_instance_id},
            application_number=case.application_number,
            **values,
        )
        return report
