"""Inbound signed callbacks: the bank's confirmation of a payment (R9, R19) and the city's result (R10).

Everything from outside is hostile. A callback is taken only when
- ``X-Huiqi-Signature`` is ``sha256=HMAC-SHA256(secret, "<X-Huiqi-Timestamp>.<body>")`` (the same scheme as our
  outbound municipal report, :func:`domain.fulfilment.municipal.signature`),
- ``X-Huiqi-Timestamp`` (Unix seconds) is within the configured window of now,
- ``Idempotency-Key`` has not been used before (a replay is refused and changes nothing),
- the JSON body carries every required field, well formed.
Each check answers a :class:`CallbackRefused` with an HTTP status and a Chinese message naming the problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.fulfilment.models import InboundCallback
from domain.fulfilment.municipal import signature

MAX_KEY_LENGTH = 120
MUNICIPAL_RESULTS = ("approved", "rejected")
PAYERS = ("county", "municipal")


class CallbackRefused(Exception):
    """A callback not taken: ``status`` is the HTTP answer, the message says why (in Chinese)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SignedCall:
    """What a callback's headers carry."""

    timestamp: str
    signature: str
    idempotency_key: str


def verify(secret: str, window_seconds: int, call: SignedCall, body: bytes, now: float) -> None:
    """Check signature, timestamp window and key format; raise CallbackRefused on the first problem."""
    if not secret:
        raise CallbackRefused(503, "本系统未配置回调密钥，暂不接收回调。")
    if not call.idempotency_key or len(call.idempotency_key) > MAX_KEY_LENGTH:
        raise CallbackRefused(400, f"缺少幂等键（Idempotency-Key，1 至 {MAX_KEY_LENGTH} 个字符）。")
    if not call.timestamp.isdigit():
        raise CallbackRefused(401, "缺少或无法识别时间戳（X-Huiqi-Timestamp，Unix 秒）。")
    if not hmac.compare_digest(signature(secret, call.timestamp, body), call.signature or ""):
        raise CallbackRefused(401, "签名无效（X-Huiqi-Signature 应为 sha256=HMAC-SHA256(密钥, 时间戳.请求体)）。")
    if abs(now - int(call.timestamp)) > window_seconds:
        raise CallbackRefused(401, f"时间戳超出允许范围（前后 {window_seconds} 秒），请求可能已过期或被重放。")


def seen(session: Session, idempotency_key: str) -> bool:
    return (
        session.scalar(select(InboundCallback.id).where(InboundCallback.idempotency_key == idempotency_key)) is not None
    )


def remember(
    session: Session, kind: str, idempotency_key: str, number: str, body: bytes, now: dt.datetime
) -> InboundCallback:
    """Keep the key of a callback that was taken: the same key again is a replay."""
    entry = InboundCallback(
        idempotency_key=idempotency_key,
        kind=kind,
        application_number=number,
        received_at=now,
        body_sha256=hashlib.sha256(body).hexdigest(),
    )
    session.add(entry)
    session.flush()
    return entry


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CallbackRefused(400, "请求体不是有效的 JSON（UTF-8）。") from exc
    if not isinstance(data, dict):
        raise CallbackRefused(400, "请求体应为 JSON 对象。")
    return data


def _text(data: dict[str, Any], name: str, label: str, limit: int = 64) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CallbackRefused(422, f"缺少{label}（{name}）。")
    if len(value) > limit:
        raise CallbackRefused(422, f"{label}（{name}）过长，最多 {limit} 个字符。")
    return value.strip()


def _amount(data: dict[str, Any], name: str, label: str) -> Decimal:
    value = data.get(name)
    if value is None or isinstance(value, bool):
        raise CallbackRefused(422, f"缺少{label}（{name}）。")
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise CallbackRefused(422, f"{label}（{name}）不是有效金额：{value}") from exc
    if amount <= 0:
        raise CallbackRefused(422, f"{label}（{name}）应大于零：{amount}")
    return amount


def _date(data: dict[str, Any], name: str, label: str) -> dt.date:
    value = _text(data, name, label, 10)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CallbackRefused(422, f"{label}（{name}）应为 YYYY-MM-DD：{value}") from exc


@dataclass(frozen=True)
class PaymentReport:
    """The bank's report that the funds of a payment order arrived (R9, R19)."""

    application_number: str
    bank_reference: str
    arrived_on: dt.date
    amount: Decimal

    @classmethod
    def parse(cls, data: dict[str, Any]) -> PaymentReport:
        return cls(
            application_number=_text(data, "applicationNumber", "申报编号"),
            bank_reference=_text(data, "bankReference", "银行流水号"),
            arrived_on=_date(data, "arrivedOn", "到账日期"),
            amount=_amount(data, "amount", "到账金额"),
        )


@dataclass(frozen=True)
class MunicipalAnswer:
    """The city's result on a reported case (R10); for approved funds, the amount and who pays."""

    application_number: str
    result: str
    document_number: str
    opinion: str
    amount: Decimal | None
    payer: str | None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> MunicipalAnswer:
        number = _text(data, "applicationNumber", "申报编号")
        result = data.get("result")
        if result not in MUNICIPAL_RESULTS:
            raise CallbackRefused(422, "缺少或无法识别审查结果（result 应为 approved 或 rejected）。")
        amount = payer = None
        if result == "approved" and data.get("amount") is not None:
            amount = _amount(data, "amount", "核定金额")
            payer = data.get("payer")
            if payer not in PAYERS:
                raise CallbackRefused(422, "核定资金时须说明由谁支付（payer 应为 county 或 municipal）。")
        opinion = data.get("opinion") or ""
        if not isinstance(opinion, str) or len(opinion) > 2000:
            raise CallbackRefused(422, "审查意见（opinion）应为不超过 2000 字的文本。")
        return cls(number, result, _text(data, "documentNumber", "市级文件文号"), opinion, amount, payer)
