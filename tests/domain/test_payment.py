"""R9, R19: who is paid and how much."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.fulfilment.payment import PayeeInvalid, amount_to_pay, payee


def test_an_account_is_kept_without_spaces():
    assert payee("福兴科技", " 县农商银行 ", "6228 4800 1234 5678").account == "6228480012345678"


@pytest.mark.parametrize(
    ("bank", "account", "named"),
    [
        ("", "6228480012345678", "开户银行 “未填”"),
        ("县农商银行", "", "账号 “未填”"),
        ("县农商银行", "6228-4800", "账号 “6228-4800”"),
        ("县农商银行", "1234567", "账号 “1234567”"),
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
