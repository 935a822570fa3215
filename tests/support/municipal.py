"""A local HTTP server playing the municipal department (R10): checks signatures, answers by script."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from domain.fulfilment.municipal import signature
from tests.support.json_server import json_server

SECRET = "county-and-city-shared-secret"


class MunicipalSide:
    """A local HTTP server playing the municipal department: checks the signature, answers by script."""

    def __init__(self, answers: list[int], delay: float = 0.0) -> None:
        self.answers = answers
        self.delay = delay
        self.requests: list[dict] = []

    def _answer(self, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        expected = signature(SECRET, headers["X-Huiqi-Timestamp"], body)
        signed = headers["X-Huiqi-Signature"] == expected
        self.requests.append({"body": json.loads(body), "signed": signed, "key": headers["Idempotency-Key"]})
        if self.delay:
            threading.Event().wait(self.delay)
        status = self.answers.pop(0) if self.answers else 200
        return status, {"reference": f"SJ-{len(self.requests):04d}"}

    @contextmanager
    def running(self) -> Iterator[str]:
        with json_server(self._answer, "/reports") as url:
            yield url
