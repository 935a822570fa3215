"""R9, R19: who is paid and how much; issue 11, item 9: an account number never whole in a message or log."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import types
from decimal import Decimal

import pytest

from domain.fulfilment.payment import PayeeInvalid, amount_to_pay, payee
from tests.workers.test_runner import serve, until
from workers import dispatch_payment

WHOLE = "6228-4800-1234-5678"  # an unusable account: its whole digits must not reach a log line


def test_an_account_is_kept_without_spaces():
    assert payee("福兴科技", " 县农商银行 ", "6228 4800 1234 5678").account == "6228480012345678"


@pytest.mark.parametrize(
    ("bank", "account", "named"),
    [
        ("", "6228480012345678", "开户银行 “未填”"),
        ("县农商银行", "", "账号 “未填”"),
        ("县农商银行", "6228-4800", r"账号 “\*\*\*\*4800”"),  # masked (issue 11, item 9)
        ("县农商银行", "1234567", r"账号 “\*\*\*\*4567”"),
        ("县农商银行", "1" * 33, "账号"),
    ],
)
def test_an_unusable_account_is_refused_by_name(bank, account, named):
    with pytest.raises(PayeeInvalid, match=named):
        payee("福兴科技", bank, account)


def test_the_disbursed_amount_wins_over_the_approved_one():
    assert amount_to_pay(3000, "2500.5") == Decimal("2500.50")
    assert amount_to_pay(3000, None) == Decimal("3000.00")


def test_no_amount_at_all_is_an_error():
    with pytest.raises(ValueError, match="没有核定金额"):
        amount_to_pay(None, None)


def test_a_negative_amount_is_an_error():
    with pytest.raises(ValueError, match="金额不能为负"):
        amount_to_pay(-1, None)


def test_an_unusable_account_is_masked_in_the_refusal():
    with pytest.raises(PayeeInvalid) as refused:
        payee("福兴科技", "县农商银行", "62284800123456789012345678901234567")
    assert "****4567" in str(refused.value) and "622848001234" not in str(refused.value)


def test_the_payment_worker_logs_and_reports_an_unusable_account_masked(monkeypatch, caplog):
    """The payment order's handler under the real runner: the business error's line and the BPMN error the
    engine keeps carry ****5678, never the whole account."""

    def order_payment(database, case, year):
        return payee("福兴科技有限公司", "县农商银行", WHOLE)  # what order_payment does with the decision's account

    fake_resources = types.SimpleNamespace(
        database=lambda: None,
        clock=lambda: types.SimpleNamespace(today=lambda: dt.date(2026, 9, 28)),
        calendar=lambda: None,
    )
    monkeypatch.setattr(dispatch_payment, "order_payment", order_payment)
    monkeypatch.setattr(dispatch_payment, "resources", fake_resources)
    monkeypatch.setattr(dispatch_payment.TaskContext, "case", lambda self: None)

    async def scenario():
        engine, runner = serve(dispatch_payment.handle)
        engine.add(1)
        serving = asyncio.create_task(runner.run())
        await until(lambda: engine.reported("bpmnError"), "the business error")
        runner.stop()
        await asyncio.wait_for(serving, timeout=10)
        return engine

    with caplog.at_level(logging.DEBUG):
        engine = asyncio.run(scenario())
    (error,) = [body for kind, body in engine.calls if kind == "bpmnError"]
    assert error["errorCode"] == "payee_invalid" and "****5678" in error["errorMessage"]
    lines = [record.getMessage() for record in caplog.records]
    assert any("****5678" in line for line in lines), lines
    digits = WHOLE.replace("-", "")
    assert not [line for line in lines if WHOLE in line or digits in line or "6228-4800" in line]
