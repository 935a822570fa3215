"""The outbox's claim: two workers racing for one delivery send it once (issue 12, G3)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import event, select

from domain.cases import CaseRef
from domain.db import Database
from domain.notices.kinds import NoticeKind
from domain.notices.models import Notice, NoticeDelivery
from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from domain.notices.services import Addressee, NoticeService
from tests.conftest import on_postgres
from tests.domain.notices.test_notices import ENTERPRISE, SUPPLEMENT


class RecordingSms:
    """An SMS gateway that remembers what it sent, from any thread."""

    name = "sms"

    def __init__(self) -> None:
        self.sent: list[int] = []
        self.lock = threading.Lock()

    def send(self, notice: Notice) -> None:
        with self.lock:
            self.sent.append(notice.id)


@pytest.fixture
def own_url(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A migrated database of the test's own: SQLite, or a new database on the session's PostgreSQL."""
    if on_postgres():
        url = request.getfixturevalue("postgres").create_database(f"outbox_{uuid.uuid4().hex[:8]}")
    else:
        url = f"sqlite:///{tmp_path / 'outbox.db'}"
    Database(url).migrate()
    return url


@pytest.fixture
def claimers(own_url: str) -> Iterator[list[Database]]:
    """Two workers' own connection pools on the one database."""
    databases = [Database(own_url), Database(own_url)]
    yield databases
    for database in databases:
        database.dispose()


def both_select_before_either_updates(databases: list[Database]) -> None:
    """Hold each claimer after its SELECT of due deliveries until the other has selected too: both then
    update the same row, the second after the first committed (PostgreSQL, READ COMMITTED). SQLite takes
    the write lock at BEGIN IMMEDIATE, so there the second claimer selects only after the first committed."""
    if not on_postgres():
        return
    selected = threading.Barrier(len(databases), timeout=30)

    def after(_connection, _cursor, statement: str, *_args) -> None:
        if "ORDER BY notice_delivery.next_attempt_at" in statement:  # the claim's select, not a later get
            selected.wait()

    for database in databases:
        event.listen(database.engine, "after_cursor_execute", after)


def test_two_workers_racing_for_one_delivery_send_it_once(claimers: list[Database]):
    with claimers[0].session_scope() as session:
        case = CaseRef("pi-race", "HQ-20260928-0042")
        notice_id = NoticeService(session).record(
            case, NoticeKind.SUPPLEMENT, Addressee(ENTERPRISE.recipient, None, ENTERPRISE.phone), SUPPLEMENT,
            channels=["sms"],
        ).id  # fmt: skip
    sms = RecordingSms()
    outboxes = [OutboxDispatcher(db, {"sms": sms}, f"worker-{n}", OutboxPolicy()) for n, db in enumerate(claimers)]
    both_select_before_either_updates(claimers)
    with ThreadPoolExecutor(max_workers=len(outboxes)) as workers:
        attempted = list(workers.map(OutboxDispatcher.deliver_due, outboxes))
    assert sms.sent == [notice_id]
    assert sorted(attempted) == [0, 1]
    with claimers[0].session_scope() as session:
        delivery = session.scalars(select(NoticeDelivery).where(NoticeDelivery.channel == "sms")).one()
        assert (delivery.status, delivery.attempts) == ("sent", 1)
        assert delivery.claimed_by == f"worker-{attempted.index(1)}"
