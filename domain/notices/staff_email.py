"""Staff notices by e-mail: a unit's reminders, overdue warnings and supervision opinions reach its members.

Design: the members are resolved when the notice is *sent*, not when it is recorded. NoticeService.record
runs inside the callers' transactions (workers, the overdue scan, rescheduling) and has only a database
session; asking the engine there would put a network call inside those transactions and tie every
caller to an engine client. So record() adds one ``staff_email`` delivery per staff-group notice (only
when SMTP is configured), and this channel, run by the outbox, asks the engine's identity service for
the group's members' addresses and sends one message to all of them in one SMTP session.

- One delivery per notice: the outbox's bounded backoff retries it as a whole (engine or SMTP down); a
  group with no member who left an e-mail address fails at once, visible among the failed deliveries,
  as does a message some of whose recipients the server refused (retrying would mail the others twice).
- Members always get the current membership: someone who joined the unit since the notice was written
  is told, someone who left is not.
- The text is the staff inbox's: subject, application number and body unmasked, the PDF letter attached.
- A department's notice goes first to its liaison (R14): the address kept on the notice when it was written
  (liaison.py) heads the To: line, the members follow. A department with no liaison recorded is mailed to its
  members only, with a logged warning; the liaison alone is enough when no member left an address.
- The enterprise e-mail channel (``email``) is untouched; the two never share a delivery.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage

from domain.config import DeliverySettings, EngineSettings, load_settings
from domain.departments.contacts import is_contact_unit
from domain.engine.members import GroupMembers, usable_address
from domain.notices.channels import NoAddress, attach_letter, send_over_smtp
from domain.notices.models import Notice
from domain.notices.services import STAFF_EMAIL
from domain.organisation import unit_for_group

log = logging.getLogger("huiqi.delivery")


class RecipientsRefused(NoAddress):
    """The SMTP server refused some members' addresses and took the others: retrying would mail them twice."""


def unit_name(group_id: str) -> str:
    try:
        return unit_for_group(group_id).name
    except KeyError:
        return group_id


def staff_message(notice: Notice, sender: str, addresses: list[str]) -> EmailMessage:
    """The notice as the staff inbox shows it, as an e-mail to these members of its group."""
    message = EmailMessage()
    message["Subject"] = f"【惠企政策兑现】{notice.subject}（{notice.application_number}）"
    message["From"] = sender
    message["To"] = ", ".join(addresses)
    readers = "的联络员和成员" if usable_address(notice.email) else "的成员"
    footer = (
        f"（本邮件由惠企政策兑现系统发送给{unit_name(notice.recipient)}{readers}，请勿直接回复；"
        "此通知也在系统的“部门通知”页，函件见附件 PDF。）"
    )
    message.set_content(f"{notice.body}\n\n{footer}")
    attach_letter(message, notice)
    return message


class GroupEmailChannel:
    """Deliver a notice addressed to a staff group to each member's e-mail (addresses from the engine)."""

    name = STAFF_EMAIL

    def __init__(
        self,
        settings: DeliverySettings,
        members: GroupMembers | None = None,
        engine: EngineSettings | None = None,
    ) -> None:
        """``members`` answers the addresses; by default the engine (``engine``, else the environment's settings)."""
        self.settings = settings
        self._members = members
        self._engine = engine

    def members(self) -> GroupMembers:
        if self._members is None:  # built on first use: a worker without staff notices never reaches the engine
            self._members = GroupMembers.as_service(self._engine or load_settings().engine)
        return self._members

    def send(self, notice: Notice) -> None:
        liaison = usable_address(notice.email)  # a department's liaison (R14), as the notice was written
        if liaison is None and is_contact_unit(notice.recipient):
            log.warning(
                "%s 未登记联络员（R14）：通知 %s 的邮件只发往其用户组成员", unit_name(notice.recipient), notice.id
            )
        addresses = list(dict.fromkeys([*([liaison] if liaison else []), *self.members().emails(notice.recipient)]))
        if not addresses:
            unrecorded = "，也未登记联络员" if is_contact_unit(notice.recipient) else ""
            raise NoAddress(
                f"用户组 {notice.recipient}（{unit_name(notice.recipient)}）没有留有电子邮箱的成员{unrecorded}"
            )
        refused = send_over_smtp(self.settings, staff_message(notice, self.settings.smtp_from, addresses))
        if refused:
            raise RecipientsRefused(
                f"已发送 {len(addresses) - len(refused)} 人；邮件服务器拒收：{'、'.join(sorted(refused))}"
            )
