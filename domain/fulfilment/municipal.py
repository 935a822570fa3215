"""Sending a case package to the municipal department's endpoint (R10): signed, timed out, retried.

The request body is JSON; the headers carry a timestamp, an HMAC-SHA256 signature of
``<timestamp>.<body>`` with the shared secret, and an idempotency key (the case), so the municipal
side can check the sender and ignore a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import requests

from domain.config import MunicipalSettings

log = logging.getLogger("huiqi.municipal")
RETRY_STATUSES = {429, 500, 502, 503, 504}


class MunicipalUnavailable(Exception):
    """The municipal endpoint could not take the report after every attempt."""


class MunicipalRefused(Exception):
    """The municipal endpoint refused the report (a 4xx answer): retrying will not help."""


@dataclass(frozen=True)
class Receipt:
    attempts: int
    reference: str | None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send_report(settings: MunicipalSettings, payload: dict[str, Any], idempotency_key: str) -> Receipt:
    """POST the package; retry connection errors, timeouts and 429/5xx with doubling waits."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    delay = settings.backoff_seconds
    last_problem = ""
    for attempt in range(1, settings.attempts + 1):
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Huiqi-Timestamp": timestamp,
            "X-Huiqi-Signature": signature(settings.secret, timestamp, body),
            "Idempotency-Key": idempotency_key,
        }
        try:
            response = requests.post(settings.report_url, data=body, headers=headers, timeout=settings.timeout_seconds)
        except requests.RequestException as exc:
            last_problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code < 300:
                reference = _reference(response)
                return Receipt(attempt, reference)
            if response.status_code not in RETRY_STATUSES:
                raise MunicipalRefused(f"市级接口拒绝报送（HTTP {response.status_code}）：{response.text[:300]}")
            last_problem = f"HTTP {response.status_code}"
        if attempt < settings.attempts:
            log.warning("报送市级第 %d 次失败（%s），%.1f 秒后重试", attempt, last_problem, delay)
            time.sleep(delay)
            delay *= 2
    raise MunicipalUnavailable(f"市级接口 {settings.report_url} 连续 {settings.attempts} 次报送失败：{last_problem}")


def _reference(response: requests.Response) -> str | None:
    try:
        return str(response.json().get("reference") or "") or None
    except ValueError:
        return None
