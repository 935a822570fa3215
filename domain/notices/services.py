"""NoticeService: write a notice once per effect (the idempotency key), return it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.db import get_or_create
from domain.notices.kinds import NoticeKind
from domain.notices.models import Notice


@dataclass(frozen=True)
class CaseRef:
    """The case a notice (or any record) is about."""

    process_instance_id: str
    application_number: str


class NoticeService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self, case: CaseRef, kind: NoticeKind, recipient: str, subject: str, body: str, round_: str = "1"
    ) -> Notice:
        """Write the notice unless this effect was written before; return the stored notice."""
        notice, _ = get_or_create(
            self.session,
            Notice,
            {"idempotency_key": f"{case.process_instance_id}:{kind.name}:{round_}"},
            process_instance_id=case.process_instance_id,
            application_number=case.application_number,
            kind=kind.value,
            recipient=recipient,
            subject=subject,
            body=body,
        )
        return notice

    def for_application(self, application_number: str) -> list[Notice]:
        return list(
            self.session.scalars(
                select(Notice).where(Notice.application_number == application_number).order_by(Notice.id)
            )
        )
