"""Staff notices by e-mail: a group notice gets a staff_email delivery when SMTP is set, sent to its members."""

from __future__ import annotations

import datetime as dt

import pytest
from aiosmtpd.controller import Controller

from devstack.engine import free_port
from domain.cases import CaseRef
from domain.config import DeliverySettings
from domain.engine import EngineUnavailable
from domain.engine.members import GroupMembers
from domain.notices.channels import configured_channels
from domain.notices.kinds import NoticeKind
from domain.notices.models import NoticeDelivery
from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from domain.notices.services import STAFF_EMAIL, Addressee, NoticeService
from domain.notices.staff_email import GroupEmailChannel
from tests.domain.notices.test_notices import own_database  # noqa: F401 - the fixture
from tests.support.smtp import Mailbox, smtp_server

OVERDUE = {
    "enterprise_name": "福兴科技有限公司",
    "task_name": "初步审查",
    "unit_name": "县工信局",
    "due": dt.date(2026, 10, 16),
}
POLICY = OutboxPolicy(max_attempts=2, retry_base_seconds=0)


class Members:
    """The engine's answer, as GroupMembers gives it: the addresses per group, or an error."""

    def __init__(self, addresses: dict[str, list[str]] | Exception) -> None:
        self.addresses = addresses
        self.asked: list[str] = []

    def emails(self, group_id: str) -> list[str]:
        self.asked.append(group_id)
        if isinstance(self.addresses, Exception):
            raise self.addresses
        return self.addresses.get(group_id, [])


def write_group_notice(database, group="dept-industry", key="pi-staff-mail") -> int:
    with database.session_scope() as session:
        notice = NoticeService(session, email_staff=True).record(
            CaseRef(key, "HQ-20261001-0007"), NoticeKind.OVERDUE, Addressee(group), OVERDUE
        )
        return notice.id


def delivery_of(database, notice_id) -> NoticeDelivery:
    with database.session_scope() as session:
        return session.query(NoticeDelivery).filter_by(notice_id=notice_id, channel=STAFF_EMAIL).one()


def outbox(database, port: int, members: Members) -> OutboxDispatcher:
    settings = DeliverySettings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_from="huiqi@county.example", smtp_timeout_seconds=2
    )
    return OutboxDispatcher(database, {STAFF_EMAIL: GroupEmailChannel(settings, members)}, "test", POLICY)


def channels_of(service: NoticeService, notice_id: int) -> list[tuple[str, str]]:
    return [(d.channel, d.status) for d in service.deliveries(notice_id)]


def test_a_group_notice_gets_a_staff_email_delivery_only_when_staff_are_emailed(db_session):
    case = CaseRef("pi-staff-mail-1", "HQ-20261001-0001")
    on = NoticeService(db_session, email_staff=True)
    warning = on.record(case, NoticeKind.OVERDUE, Addressee("dept-industry"), OVERDUE)
    assert channels_of(on, warning.id) == [("portal", "sent"), (STAFF_EMAIL, "pending")]
    off = NoticeService(db_session, email_staff=False)
    quiet = off.record(case, NoticeKind.OVERDUE, Addressee("dept-science"), OVERDUE, round_="2")
    assert channels_of(off, quiet.id) == [("portal", "sent")]


def test_an_enterprise_without_contacts_is_not_a_staff_group(db_session):
    service = NoticeService(db_session, email_staff=True)
    assert Addressee("joint-meeting-office").staff_group and Addressee("dept-industry").staff_group
    assert not Addressee("91350100M000100Y43").staff_group
    assert not Addressee("huiqi-services").staff_group  # the technical account's group is nobody's inbox
    assert not Addressee("dept-industry", "a@b.example").staff_group
    notice = service.record(
        CaseRef("pi-staff-mail-2", "HQ-20261001-0002"),
        NoticeKind.SUPPLEMENT,
        Addressee("91350100M000100Y43"),
        {"enterprise_name": "福兴科技有限公司", "policy_name": "x", "due": dt.date(2026, 10, 16), "missing": ["a"]},
    )
    assert channels_of(service, notice.id) == [("portal", "sent")]


def test_by_default_staff_are_emailed_when_smtp_host_is_set(db_session, monkeypatch):
    case = CaseRef("pi-staff-mail-3", "HQ-20261001-0003")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    service = NoticeService(db_session)
    unset = service.record(case, NoticeKind.OVERDUE, Addressee("dept-industry"), OVERDUE, round_="a")
    assert channels_of(service, unset.id) == [("portal", "sent")]
    monkeypatch.setenv("SMTP_HOST", "mail.county.example")
    service = NoticeService(db_session)
    set_ = service.record(case, NoticeKind.OVERDUE, Addressee("dept-industry"), OVERDUE, round_="b")
    assert channels_of(service, set_.id) == [("portal", "sent"), (STAFF_EMAIL, "pending")]


def test_the_smtp_configuration_brings_the_staff_channel():
    assert STAFF_EMAIL not in configured_channels(DeliverySettings())
    assert isinstance(configured_channels(DeliverySettings(smtp_host="mail.example"))[STAFF_EMAIL], GroupEmailChannel)


def test_the_members_get_one_message_with_the_staff_inbox_text_and_the_letter(own_database):  # noqa: F811
    notice_id = write_group_notice(own_database)
    members = Members({"dept-industry": ["li@industry.example", "wang@industry.example"]})
    with smtp_server() as (port, mailbox):
        dispatcher = outbox(own_database, port, members)
        assert dispatcher.deliver_due() == 1
        assert dispatcher.deliver_due() == 0
    assert members.asked == ["dept-industry"]
    (message,) = mailbox.messages
    assert message["To"] == "li@industry.example, wang@industry.example"
    assert message["Subject"] == "【惠企政策兑现】办件超期预警（HQ-20261001-0007）"
    text = message.get_body(("plain",)).get_content()
    assert "申报编号 HQ-20261001-0007（福兴科技有限公司）初步审查（县工信局）：期限 2026年10月16日，已超期" in text
    assert "县工信局的成员" in text
    (letter,) = list(message.iter_attachments())
    assert letter.get_filename() == "HQ-20261001-0007.pdf" and letter.get_content().startswith(b"%PDF")
    assert delivery_of(own_database, notice_id).status == "sent"


def test_a_group_without_member_addresses_fails_at_once_for_staff_to_see(own_database):  # noqa: F811
    notice_id = write_group_notice(own_database)
    with smtp_server() as (port, mailbox):
        outbox(own_database, port, Members({})).deliver_due()
    delivery = delivery_of(own_database, notice_id)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "没有留有电子邮箱的成员" in delivery.last_error
    assert mailbox.messages == []


def test_an_unreachable_engine_is_retried_then_the_delivery_fails(own_database):  # noqa: F811
    notice_id = write_group_notice(own_database)
    members = Members(EngineUnavailable("无法连接流程引擎"))
    with smtp_server() as (port, _):
        dispatcher = outbox(own_database, port, members)
        dispatcher.deliver_due()
        assert (delivery_of(own_database, notice_id).status, delivery_of(own_database, notice_id).attempts) == (
            "pending",
            1,
        )
        dispatcher.deliver_due()
    delivery = delivery_of(own_database, notice_id)
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "EngineUnavailable" in delivery.last_error


def test_an_unreachable_smtp_server_is_retried(own_database):  # noqa: F811
    notice_id = write_group_notice(own_database)
    outbox(own_database, free_port(), Members({"dept-industry": ["li@industry.example"]})).deliver_due()
    delivery = delivery_of(own_database, notice_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in delivery.last_error


class Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address.startswith("gone@"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_partly_refused_message_is_not_sent_twice(own_database):  # noqa: F811
    notice_id = write_group_notice(own_database)
    mailbox = Refusing()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        dispatcher = outbox(own_database, port, Members({"dept-industry": ["gone@industry.example", "li@x.example"]}))
        dispatcher.deliver_due()
        assert dispatcher.deliver_due() == 0
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1
    delivery = delivery_of(own_database, notice_id)
    assert delivery.status == "failed"
    assert "已发送 1 人" in delivery.last_error and "gone@industry.example" in delivery.last_error


class Client:
    def __init__(self, users: list[dict]) -> None:
        self.users = users
        self.params: dict = {}

    def get(self, path: str, **params):
        self.params = {"path": path, **params}
        return self.users


@pytest.mark.parametrize(
    ("users", "expected"),
    [
        ([{"id": "a", "email": "a@x.example"}, {"id": "b", "email": None}, {"id": "c"}], ["a@x.example"]),
        ([{"id": "a", "email": " a@x.example "}, {"id": "b", "email": "a@x.example"}], ["a@x.example"]),
        ([{"id": "a", "email": "no-at-sign"}, {"id": "b", "email": "x@y.example\nBcc: z@evil.example"}], []),
    ],
)
def test_group_members_skip_users_without_a_usable_address(users, expected):
    client = Client(users)
    assert GroupMembers(client, limit=50).emails("dept-industry") == expected  # type: ignore[arg-type]
    assert client.params["memberOfGroup"] == "dept-industry" and client.params["maxResults"] == 50
