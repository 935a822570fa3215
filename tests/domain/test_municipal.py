"""The municipal endpoint (R10): signed requests, bounded retries with backoff, refusals not retried."""

from __future__ import annotations

import pytest

from domain.config import MunicipalSettings
from domain.fulfilment.municipal import MunicipalRefused, MunicipalUnavailable, send_report
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
