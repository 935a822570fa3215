"""NoticeService: write a notice from its template once per effect, with one delivery per channel.

A notice to a staff group is also e-mailed to the group's members when SMTP is configured: one
``staff_email`` delivery, whose addresses the outbox asks the engine for (see staff_email.py). A notice to a
department is addressed to its liaison (R14, liaison.py): named in the text, its e-mail kept on the notice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.cases import CaseRef
from domain.config import load_settings
from domain.db import get_or_create
from domain.enterprises.visibility import Reader, viewer, visible_cases
from domain.notices.kinds import NoticeKind
from domain.notices.liaison import Addressed, to_department
from domain.notices.models import Notice, NoticeDelivery
from domain.organisation import STAFF_ROLES, unit_for_group
from domain.templating import render

PORTAL = "portal"
STAFF_EMAIL = "staff_email"  # to the members of a staff group, addresses from the engine (R10, R17, R18)
log = logging.getLogger("huiqi.notices")


@dataclass(frozen=True)
class Addressee:
    """Who receives a notice: an enterprise (credit code, e-mail, phone) or a unit (group id)."""

    recipient: str
    email: str | None = None
    phone: str | None = None

    @property
    def staff_group(self) -> bool:
        """Whether this is a unit's engine group: no e-mail or phone of its own, and the id of a staff unit."""
        if self.email or self.phone:
            return False
        try:
            return unit_for_group(self.recipient).role in STAFF_ROLES
        except KeyError:  # a credit code: an enterprise that left no e-mail or phone
            return False


class NoticeService:
    def __init__(self, session: Session, email_staff: bool | None = None) -> None:
        """``email_staff``: whether notices to staff groups are e-mailed too; by default when SMTP_HOST is set."""
        self.session = session
        self.email_staff = email_staff

    def record(
        self,
        case: CaseRef,
        kind: NoticeKind,
        to: Addressee,
        context: dict[str, Any],
        channels: Iterable[str] = (PORTAL,),
        round_: str = "1",
    ) -> Notice:
        """Write the notice (and its deliveries) unless this effect was written before; return it.

        The portal inbox is the notice itself, delivered when written; other channels wait for the
        outbox dispatcher. A notice to a staff group also goes to its members' e-mail (``staff_email``)
        when this service e-mails staff. A notice to a department names its lead section and liaison and
        keeps the liaison's e-mail (R14); without a recorded liaison it says so, and a warning is logged.
        """
        body = render(kind.template, application_number=case.application_number, **context)
        addressed = to_department(self.session, to.recipient, body) if to.staff_group else Addressed(body, to.email)
        notice, created = get_or_create(
            self.session,
            Notice,
            {"idempotency_key": f"{case.process_instance_id}:{kind.name}:{round_}"},
            process_instance_id=case.process_instance_id,
            application_number=case.application_number,
            kind=kind.label,
            recipient=to.recipient,
            email=addressed.email,
            phone=to.phone,
            subject=kind.subject,
            body=addressed.body,
        )
        if created and addressed.unrecorded:
            log.warning(
                "用户组 %s 未登记牵头科室和联络员（R14）：通知 %s（%s）只发往其成员",
                to.recipient,
                case.application_number,
                kind.label,
            )
        if created:
            now = dt.datetime.now(dt.UTC)
            wanted = [PORTAL, *channels]
            if to.staff_group and self._emails_staff():
                wanted.append(STAFF_EMAIL)
            for channel in dict.fromkeys(wanted):
                delivered = channel == PORTAL
                self.session.add(
                    NoticeDelivery(
                        notice_id=notice.id,
                        channel=channel,
                        status="sent" if delivered else "pending",
                        attempts=0,
                        next_attempt_at=now,
                        delivered_at=now if delivered else None,
                    )
                )
            self.session.flush()
        return notice

    def _emails_staff(self) -> bool:
        if self.email_staff is None:
            self.email_staff = bool(load_settings().delivery.smtp_host)  # the outbox has the channel then
        return self.email_staff

    def for_application(self, application_number: str) -> list[Notice]:
        return list(
            self.session.scalars(
                select(Notice).where(Notice.application_number == application_number).order_by(Notice.id)
            )
        )

    def for_enterprise(self, process_instance_id: str | None, who: Reader) -> list[Notice]:
        """Return the notices of this case addressed to this enterprise, oldest first, if the account sees the case.

        Selected by the case itself, never by the application number alone; notices of the same case
        addressed to a department or the window are never among them. ``who``: the account (an unbound one
        sees only the cases it filed online itself, domain/enterprises/visibility.py) or a bare credit code.
        """
        if not process_instance_id:
            return []
        return list(
            self.session.scalars(
                select(Notice)
                .where(Notice.process_instance_id == process_instance_id, *_addressed(who))
                .order_by(Notice.id)
            )
        )

    def inbox(self, who: Reader) -> list[Notice]:
        """Return every notice addressed to this enterprise of the cases the account sees, newest first."""
        return list(self.session.scalars(select(Notice).where(*_addressed(who)).order_by(Notice.id.desc())))

    def addressed_to(self, notice_id: int, who: Reader) -> Notice | None:
        """Return the notice with this id if it is addressed to this enterprise, of a case the account sees."""
        return self.session.scalar(select(Notice).where(Notice.id == notice_id, *_addressed(who)))

    def staff_inbox(self, groups: Iterable[str], limit: int = 200) -> list[Notice]:
        """Notices addressed to any of these staff groups, newest first (R10, R18: the staff inbox).

        Only group ids are matched, so a member never sees another group's notices, nor an enterprise's.
        """
        wanted = [g for g in groups if g]
        if not wanted:
            return []
        return list(
            self.session.scalars(
                select(Notice).where(Notice.recipient.in_(wanted)).order_by(Notice.id.desc()).limit(limit)
            )
        )

    def staff_inbox_count(self, groups: Iterable[str]) -> int:
        """How many notices are addressed to any of these staff groups (the count on the staff home page)."""
        wanted = [g for g in groups if g]
        if not wanted:
            return 0
        return self.session.scalar(select(func.count(Notice.id)).where(Notice.recipient.in_(wanted))) or 0

    def addressed_to_groups(self, notice_id: int, groups: Iterable[str]) -> Notice | None:
        """Return the notice with this id if it is addressed to one of these staff groups, else None."""
        wanted = [g for g in groups if g]
        if not wanted:
            return None
        return self.session.scalar(select(Notice).where(Notice.id == notice_id, Notice.recipient.in_(wanted)))

    def deliveries(self, notice_id: int) -> list[NoticeDelivery]:
        return list(
            self.session.scalars(
                select(NoticeDelivery).where(NoticeDelivery.notice_id == notice_id).order_by(NoticeDelivery.channel)
            )
        )

    def deliveries_of_case(self, process_instance_id: str | None) -> list[tuple[Notice, NoticeDelivery]]:
        """Every notice of the case with each channel's delivery, oldest first (what the window checks)."""
        if not process_instance_id:
            return []
        rows = self.session.execute(
            select(Notice, NoticeDelivery)
            .join(NoticeDelivery, NoticeDelivery.notice_id == Notice.id)
            .where(Notice.process_instance_id == process_instance_id)
            .order_by(Notice.id, NoticeDelivery.channel)
        )
        return [(notice, delivery) for notice, delivery in rows]

    def failed_deliveries(self, limit: int = 200) -> list[tuple[Notice, NoticeDelivery]]:
        """Deliveries that gave up (a gateway down, a refused number), newest first: the window follows them up."""
        rows = self.session.execute(
            select(Notice, NoticeDelivery)
            .join(NoticeDelivery, NoticeDelivery.notice_id == Notice.id)
            .where(NoticeDelivery.status == "failed")
            .order_by(NoticeDelivery.id.desc())
            .limit(limit)
        )
        return [(notice, delivery) for notice, delivery in rows]


def _addressed(who: Reader) -> list:
    """The conditions on Notice of what this reader may read: to its credit code, of a case it sees."""
    reader = viewer(who)
    conditions = [Notice.recipient == reader.credit_code]
    if not reader.bound:
        conditions.append(Notice.process_instance_id.in_(visible_cases(reader)))
    return conditions
