"""Services of the fulfilment stage: one record per case each, written once per effect."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.audit.services import audit
from domain.cases import CaseFacts, CaseRef
from domain.db import get_or_create
from domain.fulfilment.models import Announcement, Decision, MunicipalReport, PaymentOrder
from domain.templating import render

CENT = Decimal("0.01")


def money(value: float | int | str | Decimal | None) -> Decimal | None:
    """An amount in yuan as Decimal with two places (never a float)."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except InvalidOperation as exc:
        raise ValueError(f"金额 “{value}” 不是有效的数字") from exc
    if amount < 0:
        raise ValueError(f"金额不能为负：{amount}")
    return amount


def _clean(text: str | None, limit: int, drop: str = "") -> str | None:
    value = (text or "").strip()
    for character in drop:
        value = value.replace(character, "")
    return value[:limit] or None


class DecisionService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_case(self, case: CaseRef) -> Decision | None:
        return self.session.scalar(select(Decision).where(Decision.process_instance_id == case.process_instance_id))

    def record(
        self,
        case: CaseRef,
        department_group: str,
        policy_code: str,
        result: str,
        approved_amount: float | None,
        opinion: str,
        decided_on: dt.date,
        payee_bank: str | None = None,
        payee_account: str | None = None,
    ) -> Decision:
        """Store the decision, with the payee the department approved (what the payment order pays, never a
        variable read later); a new decision after the finance bureau returned the case replaces it."""
        if result not in ("approved", "rejected"):
            raise ValueError(f"未知的审查结果 “{result}”，应为 approved 或 rejected。")
        decision = self.session.scalar(select(Decision).where(Decision.process_instance_id == case.process_instance_id))
        values = dict(
            department_group=department_group,
            policy_code=policy_code,
            result=result,
            approved_amount=money(approved_amount) if result == "approved" else None,
            payee_bank=_clean(payee_bank, 100) if result == "approved" else None,
            payee_account=_clean(payee_account, 32, drop=" ") if result == "approved" else None,
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
        elif tuple(getattr(decision, name) for name in values) != tuple(values.values()):
            for name, value in values.items():
                setattr(decision, name, value)
            decision.round += 1
        self.session.flush()
        return decision


class AnnouncementService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def announce_funding(self, case: CaseFacts, round_: int, now: dt.datetime, ends: dt.datetime) -> Announcement:
        """Publish (once per round) the 公示 of an approved funding case, its objection period to ``ends`` (R20)."""
        body = render(
            "announcements/funding.txt",
            department_name=case.require("departmentName"),
            enterprise_name=case.require("enterpriseName"),
            policy_name=case.require("policyName"),
            amount=case.get("approvedAmount"),
            ends=ends,
            application_number=case.application_number,
        )
        return self.publish(case.ref, round_, f"{case.require('policyName')}拟兑现公示", body, now, ends)

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

    def confirm(
        self,
        case: CaseRef,
        bank_reference: str,
        confirmed_at: dt.datetime,
        confirmed_on: dt.date | None = None,
        amount: Decimal | float | str | None = None,
        source: str = "tasklist",
    ) -> PaymentOrder:
        """Record the bank's confirmation on the case's order (the first confirmation stands; R9, R19).

        ``source`` says who reported it: ``tasklist`` (the finance bureau) or ``callback`` (the bank's system).
        """
        order = self.for_case(case)
        if order is None:
            raise LookupError(f"申报编号 {case.application_number} 没有支付指令，无法登记到账")
        if order.confirmed_at is None:
            order.confirmed_at = confirmed_at
            order.bank_reference = bank_reference
            order.confirmed_on = confirmed_on or confirmed_at.date()
            order.confirmed_amount = money(amount) if amount is not None else order.amount
            order.confirmation_source = source
            self.session.flush()
        return order

    def confirmed(self, case: CaseRef) -> bool:
        order = self.for_case(case)
        return order is not None and order.confirmed_at is not None

    def reconcile(self, case: CaseRef, amount: Decimal | float | str, note: str, now: dt.datetime) -> PaymentOrder:
        """The finance bureau's checked amount of an arrival that differed from the order (R19), with its
        note and the amount first reported kept in the audit trail."""
        order = self.for_case(case)
        if order is None or order.confirmed_at is None:
            raise LookupError(f"申报编号 {case.application_number} 尚未登记到账，无法核对金额")
        reported, order.confirmed_amount = order.confirmed_amount, money(amount)
        audit(
            self.session, "staff", "finance-bureau", "payment.reconciled", case.application_number, None,
            ordered=str(order.amount), reported=str(reported), reconciled=str(order.confirmed_amount), note=note[:1000],
        )  # fmt: skip
        self.session.flush()
        return order

    def for_case(self, case: CaseRef) -> PaymentOrder | None:
        return self.session.scalar(
            select(PaymentOrder).where(PaymentOrder.process_instance_id == case.process_instance_id)
        )

    def by_number(self, application_number: str) -> PaymentOrder | None:
        """The payment order of the case with this application number (what the bank's callback names)."""
        return self.session.scalar(
            select(PaymentOrder)
            .where(PaymentOrder.application_number == application_number)
            .order_by(PaymentOrder.id.desc())
            .limit(1)
        )


class MunicipalReportService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def report(self, case: CaseRef, department_group: str, payload: dict, reported_at: dt.datetime) -> MunicipalReport:
        """The case's report to the municipal department, stored once (R10)."""
        report, _ = get_or_create(
            self.session,
            MunicipalReport,
            {"process_instance_id": case.process_instance_id},
            application_number=case.application_number,
            department_group=department_group,
            municipal_department=payload["municipalDepartment"],
            summary=payload["summary"],
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            reported_at=reported_at,
            status="pending",
            attempts=0,
        )
        return report

    def mark_sent(self, case: CaseRef, attempts: int, remote_reference: str | None) -> MunicipalReport:
        report = self._of(case)
        report.status = "sent"
        report.attempts += attempts
        report.remote_reference = remote_reference
        report.sent_at = dt.datetime.now(dt.UTC)
        self.session.flush()
        return report

    def mark_offline(self, case: CaseRef) -> MunicipalReport:
        report = self._of(case)
        report.status = "offline"
        self.session.flush()
        return report

    def _of(self, case: CaseRef) -> MunicipalReport:
        return self.session.scalar(
            select(MunicipalReport).where(MunicipalReport.process_instance_id == case.process_instance_id)
        )
