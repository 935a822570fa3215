"""The county's SMS gateway over HTTP: one JSON POST per message, with a timeout and a bearer token.

``POST SMS_GATEWAY_URL`` with ``{"phone", "text", "reference"}``; ``reference`` is the delivery's own
key, so a gateway that deduplicates sends a retried message once. A 2xx answer is sent; a 4xx answer
(a refused number, say) fails the delivery at once; anything else is retried by the outbox with
doubling waits, then marked failed, where the window sees it.
"""

from __future__ import annotations

import requests

from domain.config import DeliverySettings
from domain.notices.channels import NoAddress, sms_text
from domain.notices.models import Notice


class SmsRefused(NoAddress):
    """The gateway refused the message (4xx): retrying will not help."""


class HttpSmsGateway:
    name = "sms"

    def __init__(self, settings: DeliverySettings) -> None:
        if not settings.sms_gateway_url:
            raise ValueError("SMS_GATEWAY=http 需要设置 SMS_GATEWAY_URL（短信网关地址）")
        self.url = settings.sms_gateway_url
        self.timeout = settings.sms_timeout_seconds
        self.session = requests.Session()
        if settings.sms_gateway_token:
            self.session.headers["Authorization"] = f"Bearer {settings.sms_gateway_token}"

    def send(self, notice: Notice) -> None:
        if not notice.phone:
            raise NoAddress("企业未留联系电话")
        body = {"phone": notice.phone, "text": sms_text(notice), "reference": f"notice-{notice.id}-sms"}
        response = self.session.post(self.url, json=body, timeout=self.timeout)
        if 400 <= response.status_code < 500:
            raise SmsRefused(f"短信网关拒绝发送（HTTP {response.status_code}）：{response.text[:200]}")
        response.raise_for_status()
