"""A case start the web UI gave up on (no answer in time) may still have reached the engine: the gateway looks
for it before it reports a failure, so the enterprise's 重新提交 never starts a second case (issue 12)."""

from __future__ import annotations

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from domain.cases import NewCase
from domain.engine import cases as cases_module
from domain.engine.cases import CaseGateway
from domain.engine.client import maybe_sent
from domain.engine.errors import EngineUnavailable


def refused() -> requests.ConnectionError:
    cause = NewConnectionError(None, "Connection refused")
    return requests.ConnectionError(MaxRetryError(None, "/engine-rest", cause))


def test_only_a_request_that_may_have_been_sent_may_have_been_carried_out():
    assert maybe_sent(requests.ReadTimeout("no answer in 10 s"))
    assert maybe_sent(requests.ConnectionError("Connection reset by peer"))
    assert not maybe_sent(requests.ConnectTimeout("no connection"))
    assert not maybe_sent(refused())


class SlowEngine:
    """Answers a start with nothing in time (it was carried out), and shows the case only from the n-th look."""

    url = "http://engine.invalid/engine-rest"

    def __init__(self, shows_after: int | None, maybe_done: bool = True) -> None:
        self.shows_after, self.maybe_done, self.looks = shows_after, maybe_done, 0

    def call(self, _request):
        raise EngineUnavailable("无法连接流程引擎：10 秒内无应答", maybe_done=self.maybe_done)

    def get(self, path: str, **_params):
        assert path == "/history/process-instance"
        self.looks += 1
        return [{"id": "pi-1"}] if self.shows_after is not None and self.looks >= self.shows_after else []


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(cases_module, "LOOK_AGAIN_SECONDS", (0, 0, 0, 0, 0))


def new_case() -> NewCase:
    return NewCase("HQ-20261128-0001", "福兴科技有限公司", "91350100M000100Y43", "T-AUTO", 1, "张三", "13800000000",
                   None, "申请说明", None, None, "online")  # fmt: skip


def test_a_start_that_committed_late_is_found_and_not_started_again():
    engine = SlowEngine(shows_after=3)
    assert CaseGateway(engine).start(new_case(), first=True) == "pi-1"
    assert engine.looks == 3


def test_a_start_that_never_arrived_is_reported_as_failed():
    engine = SlowEngine(shows_after=None)
    with pytest.raises(EngineUnavailable):
        CaseGateway(engine).start(new_case(), first=True)
    assert engine.looks == len(cases_module.LOOK_AGAIN_SECONDS)


def test_a_refused_connection_is_reported_at_once():
    engine = SlowEngine(shows_after=1, maybe_done=False)
    with pytest.raises(EngineUnavailable):
        CaseGateway(engine).start(new_case(), first=True)
    assert engine.looks == 0
