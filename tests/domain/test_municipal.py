"""The municipal endpoint (R10): signed requests, bounded retries with backoff, refusals not retried; the city's
result kept as a record when it arrives (issue 11: the payment order pays from it, not from variables)."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from decimal import Decimal

import pytest

from domain.cases import CaseRef
from domain.config import CallbackSettings, MunicipalSettings
from domain.engine.cases import NotWaiting
from domain.fulfilment.callbacks import CallbackRefused, SignedCall
from domain.fulfilment.inbound import InboundCallbacks
from domain.fulfilment.municipal import MunicipalRefused, MunicipalUnavailable, send_report, signature
from domain.fulfilment.municipal_result import MunicipalResultService
from tests.support.municipal import SECRET, MunicipalSide


def settings(url: str, **overrides) -> MunicipalSettings:
    return MunicipalSettings(
        report_url=url, secret=SECRET, timeout_seconds=2, attempts=3, backoff_seconds=0.05, **overrides
    )


PACKAGE = {"applicationNumber": "HQ-20260928-0001", "enterprise": {"name": "福兴科技有限公司"}}


def test_a_signed_report_is_received():
    side = MunicipalSide([200])
    with side.running() as url:
        receipt = send_report(settings(url), PACKAGE, idempotency_key="pi-1")
    assert (receipt.attempts, receipt.reference) == (1, "SJ-0001")
    (request,) = side.requests
    assert request["signed"] and request["key"] == "pi-1"
    assert request["body"]["enterprise"]["name"] == "福兴科技有限公司"


def test_a_failing_endpoint_is_retried_until_it_recovers():
    side = MunicipalSide([503, 502, 200])
    with side.running() as url:
        receipt = send_report(settings(url), PACKAGE, idempotency_key="pi-2")
    assert receipt.attempts == 3
    assert {r["key"] for r in side.requests} == {"pi-2"}  # the same idempotency key every time


def test_retries_are_bounded():
    side = MunicipalSide([503, 503, 503, 200])
    with side.running() as url, pytest.raises(MunicipalUnavailable, match="连续 3 次报送失败：HTTP 503"):
        send_report(settings(url), PACKAGE, idempotency_key="pi-3")
    assert len(side.requests) == 3


def test_a_refusal_is_not_retried():
    side = MunicipalSide([400])
    with side.running() as url, pytest.raises(MunicipalRefused, match="HTTP 400"):
        send_report(settings(url), PACKAGE, idempotency_key="pi-4")
    assert len(side.requests) == 1


def test_a_slow_endpoint_times_out_and_counts_as_a_failure():
    side = MunicipalSide([], delay=1.0)
    with side.running() as url, pytest.raises(MunicipalUnavailable, match="ReadTimeout"):
        slow = MunicipalSettings(report_url=url, secret=SECRET, timeout_seconds=0.3, attempts=2, backoff_seconds=0.05)
        send_report(slow, PACKAGE, idempotency_key="pi-5")


NOW = dt.datetime(2026, 10, 9, 10, 0, tzinfo=dt.UTC)
CITY_SECRET = "city-callback-secret-for-tests"


class WaitingCase:
    """The engine side of the callback: one running case waiting for the city's result (or no longer)."""

    def __init__(self, number: str, waiting: bool = True) -> None:
        self.number, self.waiting = number, waiting
        self.instance_id = f"pi-{uuid.uuid4().hex[:8]}"
        self.delivered: list[dict] = []

    def find_running(self, number):
        return self.instance_id if number == self.number else None

    def waits_for(self, process_instance_id, message):
        return True

    def municipal_result(self, number, variables):
        if not self.waiting:
            raise NotWaiting(number)
        self.delivered.append(variables)


def post_city_answer(database, cases: WaitingCase, answer: dict):
    body = json.dumps(answer, ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    call = SignedCall(stamp, signature(CITY_SECRET, stamp, body), f"city-{uuid.uuid4().hex}")
    inbound = InboundCallbacks(database, cases, CallbackSettings(municipal_secret=CITY_SECRET), lambda: NOW)
    return inbound.municipal(call, body, "127.0.0.1")


def test_the_citys_signed_answer_is_kept_as_a_record_before_the_case_moves_on(database):
    number = f"HQ-M-{uuid.uuid4().hex[:6]}"
    cases = WaitingCase(number)
    answer = {"applicationNumber": number, "result": "approved", "documentNumber": "市商〔2026〕8号",
              "opinion": "核定 8000 元", "amount": 8000, "payer": "county"}  # fmt: skip
    assert post_city_answer(database, cases, answer)["status"] == "accepted"
    with database.session_scope() as session:
        record = MunicipalResultService(session).for_case(CaseRef(cases.instance_id, number))
        kept = (record.result, record.amount, record.payer, record.document_number, record.source)
    assert kept == ("approved", Decimal("8000.00"), "county", "市商〔2026〕8号", "callback")
    assert cases.delivered[0]["municipalAmount"] == 8000.0  # the variables still drive the forms and gateway


def test_an_answer_the_case_no_longer_waits_for_leaves_no_record(database):
    number = f"HQ-M-{uuid.uuid4().hex[:6]}"
    cases = WaitingCase(number, waiting=False)
    answer = {"applicationNumber": number, "result": "approved", "documentNumber": "市商〔2026〕9号",
              "amount": 500, "payer": "county"}  # fmt: skip
    with pytest.raises(CallbackRefused) as refused:
        post_city_answer(database, cases, answer)
    assert refused.value.status == 409
    with database.session_scope() as session:
        assert MunicipalResultService(session).for_case(CaseRef(cases.instance_id, number)) is None


def test_a_later_result_of_the_same_case_replaces_the_record(db_session):
    case = CaseRef("pi-municipal-record", "HQ-M-REPLACE")
    results = MunicipalResultService(db_session)
    results.record(case, "approved", "市〔2026〕1号", 8000, "county", "tasklist", "act-1", NOW)
    results.record(case, "approved", "市〔2026〕2号", "7000.5", "municipal", "callback", "key-2", NOW)
    record = results.for_case(case)
    assert (record.amount, record.payer, record.document_number) == (Decimal("7000.50"), "municipal", "市〔2026〕2号")


@pytest.mark.parametrize(
    ("result", "amount", "payer", "problem"),
    [
        ("passed", None, None, "未知的市级审查结果"),
        ("approved", 100, None, "由谁支付"),
        ("approved", 100, "city", "由谁支付"),
    ],
)
def test_an_unclear_result_is_refused(db_session, result, amount, payer, problem):
    with pytest.raises(ValueError, match=problem):
        MunicipalResultService(db_session).record(
            CaseRef("pi-x", "HQ-X"), result, "市〔2026〕3号", amount, payer, "tasklist", "act-3", NOW
        )
