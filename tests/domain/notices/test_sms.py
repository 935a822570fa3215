"""SMS through the county's HTTP gateway: sent once, refused at once on 4xx, retried then failed when down."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.config import DeliverySettings
from domain.notices.channels import configured_channels
from domain.notices.models import NoticeDelivery
from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from tests.domain.notices.test_notices import own_database, write_notice  # noqa: F401 - the fixture
from tests.support.sms_gateway import SmsGatewaySide

POLICY = OutboxPolicy(max_attempts=2, retry_base_seconds=0)


def sms_delivery(database, notice_id) -> NoticeDelivery:
    with database.session_scope() as session:
        return session.query(NoticeDelivery).filter_by(notice_id=notice_id, channel="sms").one()


def dispatcher(database, url: str, token: str = "sms-token") -> OutboxDispatcher:
    settings = DeliverySettings(sms_gateway="http", sms_gateway_url=url, sms_gateway_token=token,
                                sms_timeout_seconds=2)
    return OutboxDispatcher(database, configured_channels(settings), "test", POLICY)


def test_an_sms_is_posted_once_with_its_reference(own_database):  # noqa: F811
    notice_id = write_notice(own_database, channels=("sms",))
    side = SmsGatewaySide()
    with side.running() as url:
        outbox = dispatcher(own_database, url)
        assert outbox.deliver_due() == 1
        assert outbox.deliver_due() == 0
    assert len(side.messages) == 1
    assert side.messages[0]["phone"] == "13800000000"
    assert "HQ-20260928-0001" in side.messages[0]["text"]
    assert side.messages[0]["reference"] == f"notice-{notice_id}-sms"
    assert sms_delivery(own_database, notice_id).status == "sent"


def test_a_refused_message_fails_at_once_with_the_gateways_answer(own_database):  # noqa: F811
    notice_id = write_notice(own_database, channels=("sms",))
    with SmsGatewaySide().running() as url:
        dispatcher(own_database, url, token="wrong").deliver_due()
    delivery = sms_delivery(own_database, notice_id)
    assert delivery.status == "failed"
    assert "HTTP 401" in delivery.last_error


def test_a_gateway_that_is_down_is_retried_then_the_delivery_fails(own_database):  # noqa: F811
    notice_id = write_notice(own_database, channels=("sms",))
    side = SmsGatewaySide(answers=[503, 503])
    with side.running() as url:
        outbox = dispatcher(own_database, url)
        outbox.deliver_due()
        assert sms_delivery(own_database, notice_id).status == "pending"
        outbox.deliver_due()
    delivery = sms_delivery(own_database, notice_id)
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "503" in delivery.last_error
    assert side.messages == []


def test_a_gateway_that_does_not_answer_is_a_retry(own_database):  # noqa: F811
    notice_id = write_notice(own_database, channels=("sms",))
    dispatcher(own_database, "http://127.0.0.1:9/sms").deliver_due()  # nothing listens on the discard port
    delivery = sms_delivery(own_database, notice_id)
    assert delivery.status == "pending"
    assert delivery.next_attempt_at >= dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)


def test_http_without_a_url_is_refused_at_start():
    with pytest.raises(ValueError, match="SMS_GATEWAY_URL"):
        configured_channels(DeliverySettings(sms_gateway="http"))
