"""A notice to a department reaches its liaison (R14): named in the text, e-mailed first; without one, said so."""

from __future__ import annotations

import datetime as dt
import logging

from domain.cases import CaseRef
from domain.config import DeliverySettings
from domain.departments.contacts import ContactDetails, DepartmentContacts
from domain.notices.kinds import NoticeKind
from domain.notices.models import NoticeDelivery
from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from domain.notices.services import STAFF_EMAIL, Addressee, NoticeService
from domain.notices.staff_email import GroupEmailChannel
from tests.domain.notices.test_notices import own_database  # noqa: F401 - the fixture
from tests.support.smtp import smtp_server

LIAISON = ContactDetails("中小企业股", "王五", "0591-12345678", "wangwu@example.gov.cn")
OVERDUE = {
    "enterprise_name": "福兴科技有限公司",
    "task_name": "初步审查",
    "unit_name": "县林业局",
    "due": dt.date(2026, 10, 16),
}
TEXT = "申报编号 HQ-20261001-0101（福兴科技有限公司）初步审查（县林业局）：期限 2026年10月16日，已超期。请督促办理。"
SALUTATION = "县林业局（牵头科室：中小企业股；联络员：王五，电话 0591-12345678）："


class Members:
    """The engine's answer as GroupMembers gives it: the members' addresses per group."""

    def __init__(self, addresses: dict[str, list[str]]) -> None:
        self.addresses = addresses

    def emails(self, group_id: str) -> list[str]:
        return self.addresses.get(group_id, [])


def record(session, group: str, key: str = "pi-liaison-1", email_staff: bool = True):
    return NoticeService(session, email_staff=email_staff).record(
        CaseRef(key, "HQ-20261001-0101"), NoticeKind.OVERDUE, Addressee(group), OVERDUE
    )


def test_a_department_notice_names_its_lead_section_and_liaison_and_keeps_the_liaisons_email(db_session):
    DepartmentContacts(db_session).update("dept-forestry", LIAISON, "joint-office")
    notice = record(db_session, "dept-forestry")
    assert notice.body == f"{SALUTATION}\n{TEXT}"
    assert notice.email == "wangwu@example.gov.cn" and notice.phone is None
    assert [d.channel for d in NoticeService(db_session).deliveries(notice.id)] == ["portal", STAFF_EMAIL]


def test_a_department_without_a_recorded_liaison_is_told_so_and_a_warning_is_logged(db_session, caplog):
    with caplog.at_level(logging.WARNING, logger="huiqi.notices"):
        notice = record(db_session, "dept-forestry")
        again = record(db_session, "dept-forestry")  # the same effect: written once, warned once
    assert again.id == notice.id
    assert notice.body.startswith(TEXT) and notice.email is None
    assert "县林业局尚未登记牵头科室和联络员，本通知发给该部门的全体成员" in notice.body
    assert "“部门牵头科室与联络员”页登记" in notice.body
    warnings = [r for r in caplog.records if "未登记牵头科室和联络员" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "dept-forestry" in warnings[0].getMessage() and "HQ-20261001-0101" in warnings[0].getMessage()


def test_the_finance_bureau_is_addressed_like_a_department(db_session):
    DepartmentContacts(db_session).update("finance-bureau", LIAISON, "joint-office")
    notice = record(db_session, "finance-bureau")
    assert notice.body.startswith("县财政局（牵头科室：中小企业股；联络员：王五")
    assert notice.email == LIAISON.liaison_email


def test_other_groups_and_enterprises_are_addressed_as_before(db_session):
    office = record(db_session, "joint-meeting-office")
    assert office.body == TEXT and office.email is None
    managers = record(db_session, "managers", key="pi-liaison-2")
    assert managers.body == TEXT and managers.email is None
    enterprise = NoticeService(db_session).record(
        CaseRef("pi-liaison-3", "HQ-20261001-0103"),
        NoticeKind.SUPPLEMENT,
        Addressee("91350100M000100Y43", "finance@fuxing.example", "13800000000"),
        {"enterprise_name": "福兴科技有限公司", "policy_name": "x", "due": dt.date(2026, 10, 16), "missing": ["a"]},
        channels=["email"],
    )
    assert enterprise.email == "finance@fuxing.example" and "联络员" not in enterprise.body


def dispatch(database, port: int, members: Members) -> None:
    settings = DeliverySettings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_from="huiqi@county.example", smtp_timeout_seconds=2
    )
    channel = GroupEmailChannel(settings, members)  # type: ignore[arg-type]
    OutboxDispatcher(database, {STAFF_EMAIL: channel}, "liaison-test", OutboxPolicy(max_attempts=1)).deliver_due()


def write(database, liaison: ContactDetails | None) -> int:
    with database.session_scope() as session:
        if liaison:
            DepartmentContacts(session).update("dept-forestry", liaison, "joint-office")
        return record(session, "dept-forestry").id


def delivery(database, notice_id: int) -> NoticeDelivery:
    with database.session_scope() as session:
        return session.query(NoticeDelivery).filter_by(notice_id=notice_id, channel=STAFF_EMAIL).one()


def test_the_email_goes_to_the_liaison_first_then_the_members(own_database):  # noqa: F811
    notice_id = write(own_database, LIAISON)
    members = Members({"dept-forestry": ["li@forestry.example", "wangwu@example.gov.cn"]})
    with smtp_server() as (port, mailbox):
        dispatch(own_database, port, members)
    (message,) = mailbox.messages
    assert message["To"] == "wangwu@example.gov.cn, li@forestry.example"  # the liaison once, at the head
    text = message.get_body(("plain",)).get_content()
    assert SALUTATION in text and TEXT in text and "发送给县林业局的联络员和成员" in text
    assert delivery(own_database, notice_id).status == "sent"


def test_the_liaison_alone_is_enough_when_no_member_left_an_address(own_database):  # noqa: F811
    notice_id = write(own_database, LIAISON)
    with smtp_server() as (port, mailbox):
        dispatch(own_database, port, Members({}))
    (message,) = mailbox.messages
    assert message["To"] == "wangwu@example.gov.cn"
    assert delivery(own_database, notice_id).status == "sent"


def test_without_a_liaison_the_members_are_mailed_and_a_warning_is_logged(own_database, caplog):  # noqa: F811
    notice_id = write(own_database, None)
    with smtp_server() as (port, mailbox), caplog.at_level(logging.WARNING, logger="huiqi.delivery"):
        dispatch(own_database, port, Members({"dept-forestry": ["li@forestry.example"]}))
    (message,) = mailbox.messages
    assert message["To"] == "li@forestry.example"
    assert "发送给县林业局的成员" in message.get_body(("plain",)).get_content()
    assert "县林业局 未登记联络员（R14）" in caplog.text
    assert delivery(own_database, notice_id).status == "sent"


def test_without_a_liaison_or_member_addresses_the_delivery_fails_for_staff_to_see(own_database):  # noqa: F811
    notice_id = write(own_database, None)
    with smtp_server() as (port, mailbox):
        dispatch(own_database, port, Members({}))
    assert mailbox.messages == []
    failed = delivery(own_database, notice_id)
    assert failed.status == "failed" and "没有留有电子邮箱的成员，也未登记联络员" in failed.last_error
