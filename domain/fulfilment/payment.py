"""Who is paid and how much (R9, R19): the payee's account must be usable, the amount is the approved one
unless the finance bureau disbursed another, always in yuan with two decimals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.fulfilment.services import money
from domain.privacy import mask_account

ACCOUNT = re.compile(r"^[0-9]{8,32}$")  # a mainland bank account number: digits only


class PayeeInvalid(Exception):
    """The payee's bank or account cannot be paid into; the department must check it."""


@dataclass(frozen=True)
class Payee:
    name: str
    bank: str
    account: str


def payee(name: str, bank: str | None, account: str | None) -> Payee:
    """The payee with its account written without spaces, or raise PayeeInvalid naming what is wrong."""
    account = (account or "").replace(" ", "")
    bank = (bank or "").strip()
    if not ACCOUNT.match(account) or not bank:
        # Issue 11, item 9: the message reaches the worker's log and the engine; the account only masked.
        raise PayeeInvalid(
            f"收款账户不可用（开户银行 “{bank or '未填'}”，账号 “{mask_account(account) if account else '未填'}”），"
            "请部门核实后重新办理。"
        )
    return Payee(name, bank, account)


def amount_to_pay(approved: float | str | Decimal | None, disbursed: float | str | Decimal | None) -> Decimal:
    """The finance bureau's disbursed amount when it set one, else the department's approved amount."""
    amount = money(disbursed or approved)
    if amount is None:
        raise ValueError("没有核定金额，无法拨付")
    return amount
