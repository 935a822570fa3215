"""Signed calls to the inbound endpoints, as the bank's or the city's system makes them (R9, R10)."""

from __future__ import annotations

import json
import time
import uuid

from domain.fulfilment.municipal import signature

PAYMENT_SECRET = "test-payment-callback-secret-0123456789"
MUNICIPAL_SECRET = "test-municipal-callback-secret-0123456789"


def signed_post(client, url: str, payload: dict, secret: str, *, key: str | None = None, timestamp: int | None = None,
                sign_with: str | None = None):  # fmt: skip
    """POST ``payload`` as JSON with timestamp, HMAC signature and idempotency key headers."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Huiqi-Timestamp": stamp,
        "X-Huiqi-Signature": signature(sign_with or secret, stamp, body),
        "Idempotency-Key": key or uuid.uuid4().hex,
    }
    return client.post(url, data=body, headers=headers)
