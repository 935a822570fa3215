"""Notices: written from templates once per effect, delivered by channel, laid out as PDF letters."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from pypdf import PdfReader

from domain.cases import CaseRef
from domain.config import DeliverySettings
from domain.db import Database
from domain.notices.channels import EmailChannel, LoggingSmsGateway, channels_for, configured_channels
from domain.notices.kinds import NoticeKind
from domain.notices.letters import letter_pdf
from domain.notices.models import Notice, NoticeDelivery
from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from domain.notices.services import Addressee, NoticeService
from tests.support.smtp import smtp_server

ENTERPRISE = Addressee("91350100M000100Y43", "finance@fuxing.example", "13800000000")
SUPPLEMENT = {
    "enterprise_name": "福兴科技有限公司",
    "policy_name": "高新技术企业认定奖励",
    "due": dt.date(2026, 10, 16),
    "missing": ["营业执照副本复印件", "近两年财务审计报告"],
}


@pytest.fixture
def own_database(tmp_path) -> Database:
    """A database of the test's own: the dispatcher commits, so no shared rollback is possible."""
    database = Database(f"sqlite:///{tmp_path / 'outbox.db'}")
    database.migrate()
    yield database
    database.dispose()


def write_notice(database: Database, channels=("email", "sms"), key="pi-1") -> int:
    with database.session_scope() as session:
        notice = NoticeService(session).record(
            CaseRef(key, "HQ-20260928-0001"), NoticeKind.SUPPLEMENT, ENTERPRISE, SUPPLEMENT, channels=channels
        )
        return notice.id


def test_the_supplement_notice_lists_every_missing_item_once(db_session):
    service = NoticeService(db_session)
    case = CaseRef("pi-x", "HQ-20260928-0009")
    first = service.record(case, NoticeKind.SUPPLEMENT, ENTERPRISE, SUPPLEMENT, channels=["email"])
    again = service.record(case, NoticeKind.SUPPLEMENT, ENTERPRISE, SUPPLEMENT, channels=["email"])
    assert first.id == again.id
    assert "请于 2026年10月16日 前一次性补正以下材料" in first.body
    assert "1. 营业执照副本复印件\n2. 近两年财务审计报告" in first.body
    assert [(d.channel, d.status) for d in service.deliveries(first.id)] == [("email", "pending"), ("portal", "sent")]


def test_a_missing_value_in_a_template_is_an_error_not_a_hole(db_session):
    with pytest.raises(Exception, match="is undefined"):
        NoticeService(db_session).record(
            CaseRef("pi-y", "HQ-1"), NoticeKind.SUPPLEMENT, ENTERPRISE, {"enterprise_name": "某企业"}
        )


def test_a_notice_is_a_pdf_letter_in_chinese(own_database):
    notice_id = write_notice(own_database, channels=())
    with own_database.session_scope() as session:
        pdf = letter_pdf(session.get(Notice, notice_id))
    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "申报材料补正告知" in text and "近两年财务审计报告" in text and "HQ-20260928-0001" in text


def test_email_goes_over_smtp_with_the_letter_attached(own_database):
    notice_id = write_notice(own_database)
    with smtp_server() as (port, mailbox):
        settings = DeliverySettings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="huiqi@county.example")
        outbox = OutboxDispatcher(own_database, configured_channels(settings), "test", OutboxPolicy())
        assert outbox.deliver_due() == 2  # e-mail and SMS
        assert outbox.deliver_due() == 0  # nothing twice
    (message,) = mailbox.messages
    assert message["To"] == "finance@fuxing.example"
    assert "申报材料补正告知" in message["Subject"]
    assert "近两年财务审计报告" in message.get_body(("plain",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    with own_database.session_scope() as session:
        statuses = {d.channel: d.status for d in NoticeService(session).deliveries(notice_id)}
    assert statuses == {"email": "sent", "sms": "sent", "portal": "sent"}


def test_an_unreachable_smtp_server_is_retried_later_then_given_up(own_database):
    write_notice(own_database, channels=("email",))
    from devstack.engine import free_port

    settings = DeliverySettings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout_seconds=2)
    policy = OutboxPolicy(max_attempts=2, retry_base_seconds=0)
    outbox = OutboxDispatcher(own_database, {"email": EmailChannel(settings)}, "test", policy)
    assert outbox.deliver_due() == 1
    with own_database.session_scope() as session:
        delivery = session.query(NoticeDelivery).filter_by(channel="email").one()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert "ConnectionRefusedError" in delivery.last_error
    assert outbox.deliver_due() == 1
    with own_database.session_scope() as session:
        delivery = session.query(NoticeDelivery).filter_by(channel="email").one()
        assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert outbox.deliver_due() == 0


def test_the_default_sms_gateway_writes_the_message_to_the_log(own_database, caplog):
    write_notice(own_database, channels=("sms",))
    outbox = OutboxDispatcher(own_database, {"sms": LoggingSmsGateway()}, "test", OutboxPolicy())
    with caplog.at_level(logging.INFO, logger="huiqi.delivery"):
        outbox.deliver_due()
    assert "短信 → 138****0000：【惠企政策兑现】申报材料补正告知：申报编号 HQ-20260928-0001" in caplog.text


def test_a_delivery_claimed_by_a_worker_that_died_is_taken_over(own_database):
    write_notice(own_database, channels=("sms",))
    policy = OutboxPolicy(stale_after=dt.timedelta(seconds=0))
    with own_database.session_scope() as session:
        delivery = session.query(NoticeDelivery).filter_by(channel="sms").one()
        delivery.status, delivery.claimed_by = "sending", "dead-worker"
        delivery.claimed_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    outbox = OutboxDispatcher(own_database, {"sms": LoggingSmsGateway()}, "alive-worker", policy)
    assert outbox.deliver_due() == 1
    with own_database.session_scope() as session:
        delivery = session.query(NoticeDelivery).filter_by(channel="sms").one()
        assert (delivery.status, delivery.claimed_by) == ("sent", "alive-worker")


def test_channels_follow_the_configuration_and_the_addresses():
    assert list(configured_channels(DeliverySettings())) == ["sms"]
    available = configured_channels(DeliverySettings(smtp_host="mail.example"))
    assert channels_for(available, "a@b.example", None) == ["email"]
    assert channels_for(available, None, "138") == ["sms"]
    with pytest.raises(ValueError, match="SMS_GATEWAY"):
        configured_channels(DeliverySettings(sms_gateway="carrier-x"))
