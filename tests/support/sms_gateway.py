"""A local HTTP server playing the county's SMS gateway: keeps each message, answers by script."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.json_server import json_server


class SmsGatewaySide:
    def __init__(self, answers: list[int] | None = None, token: str = "sms-token") -> None:
        self.answers = list(answers or [])
        self.token = token
        self.messages: list[dict] = []

    def _answer(self, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        authorised = headers.get("Authorization") == f"Bearer {self.token}"
        status = (self.answers.pop(0) if self.answers else 200) if authorised else 401
        if status == 200:
            self.messages.append(json.loads(body))
        return status, {"status": status}

    @contextmanager
    def running(self) -> Iterator[str]:
        with json_server(self._answer, "/sms") as url:
            yield url
