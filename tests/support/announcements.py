"""A 公示 open for objections, written straight into the application database (no case behind it needed)."""

from __future__ import annotations

import datetime as dt

from domain.db import Database
from domain.fulfilment.models import Announcement
from tests.webui.conftest import new_credit_code


def open_announcement(database: Database, process_instance_id: str, application_number: str) -> str:
    """Publish an announcement whose objection period runs until 30 October 2026; return its page's path."""
    with database.session_scope() as session:
        announcement = Announcement(
            process_instance_id=process_instance_id, idempotency_key=f"{application_number}-{new_credit_code()}",
            application_number=application_number, title="公示", body="公示内容",
            published_at=dt.datetime(2026, 9, 20, tzinfo=dt.UTC),
            objection_period_ends=dt.datetime(2026, 10, 30, tzinfo=dt.UTC),
        )  # fmt: skip
        session.add(announcement)
        session.flush()
        return f"/announcements/{announcement.id}"
