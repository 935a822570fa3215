"""OutboxDispatcher: deliver pending notices by channel, each delivery claimed by one worker at a time.

A delivery is claimed by a compare-and-set update (pending → sending) whose WHERE repeats the condition
it was selected by, so that two workers that selected it take it once; a claim older than ``stale_after``
(its worker died) is taken over. A failed attempt waits base × 2^attempts; after ``max_attempts`` the
delivery is failed and stays visible to staff. Delivery is at least once: a worker killed after sending
and before marking sends again when its claim goes stale.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, update

from domain.db import Database
from domain.notices.channels import Channel, NoAddress
from domain.notices.models import Notice, NoticeDelivery

log = logging.getLogger("huiqi.delivery")


@dataclass(frozen=True)
class OutboxPolicy:
    max_attempts: int = 5
    retry_base_seconds: float = 30.0
    stale_after: dt.timedelta = dt.timedelta(minutes=5)
    batch: int = 20


class OutboxDispatcher:
    def __init__(self, database: Database, channels: dict[str, Channel], worker_id: str, policy: OutboxPolicy):
        self.database = database
        self.channels = channels
        self.worker_id = worker_id
        self.policy = policy

    def deliver_due(self) -> int:
        """Deliver what is due now; return how many deliveries were attempted."""
        attempted = 0
        for delivery_id in self._claim():
            self._deliver(delivery_id)
            attempted += 1
        return attempted

    def _claim(self) -> list[int]:
        now = dt.datetime.now(dt.UTC)
        due = self._due(now)
        with self.database.session_scope() as session:
            candidates = session.scalars(
                select(NoticeDelivery.id)
                .where(NoticeDelivery.channel.in_(self.channels), due)
                .order_by(NoticeDelivery.next_attempt_at)
                .limit(self.policy.batch)
            ).all()
            claimed = []
            for delivery_id in candidates:
                # The select's condition again (G3): on PostgreSQL (READ COMMITTED) an update that waited for
                # another worker's claim of this row re-reads it, finds it freshly claimed and takes nothing.
                taken = session.execute(
                    update(NoticeDelivery)
                    .where(NoticeDelivery.id == delivery_id, due)
                    .values(status="sending", claimed_by=self.worker_id, claimed_at=now)
                ).rowcount
                if taken:
                    claimed.append(delivery_id)
        return claimed

    def _due(self, now: dt.datetime) -> ColumnElement[bool]:
        """Pending and due, or claimed by a worker longer ago than ``stale_after`` (it died)."""
        return or_(
            (NoticeDelivery.status == "pending") & (NoticeDelivery.next_attempt_at <= now),
            (NoticeDelivery.status == "sending") & (NoticeDelivery.claimed_at < now - self.policy.stale_after),
        )

    def _deliver(self, delivery_id: int) -> None:
        with self.database.session_scope() as session:
            delivery = session.get(NoticeDelivery, delivery_id)
            notice = session.get(Notice, delivery.notice_id)
            session.expunge(notice)
            channel = self.channels[delivery.channel]
        try:
            channel.send(notice)
        except NoAddress as exc:
            self._finish(delivery_id, "failed", str(exc))
        except Exception as exc:  # SMTP down, gateway error…: retried with growing waits
            self._retry(delivery_id, f"{type(exc).__name__}: {exc}"[:500])
        else:
            self._finish(delivery_id, "sent", None)

    def _finish(self, delivery_id: int, status: str, error: str | None) -> None:
        now = dt.datetime.now(dt.UTC)
        with self.database.session_scope() as session:
            delivery = session.get(NoticeDelivery, delivery_id)
            delivery.status = status
            delivery.attempts += 1
            delivery.last_error = error
            delivery.delivered_at = now if status == "sent" else None
            channel = delivery.channel
        # Logged once committed: a worker killed before the commit sends again, and says so then.
        log.info("通知投递 %s（%s）：%s%s", delivery_id, channel, status, f"，{error}" if error else "")

    def _retry(self, delivery_id: int, error: str) -> None:
        with self.database.session_scope() as session:
            delivery = session.get(NoticeDelivery, delivery_id)
            delivery.attempts += 1
            delivery.last_error = error
            attempts = delivery.attempts
            wait = self.policy.retry_base_seconds * 2 ** (attempts - 1)
            if attempts >= self.policy.max_attempts:
                delivery.status = "failed"
            else:
                delivery.status = "pending"
                delivery.next_attempt_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
        if attempts >= self.policy.max_attempts:
            log.error("通知投递 %s 失败 %d 次，不再重试：%s", delivery_id, attempts, error)
        else:
            log.warning("通知投递 %s 失败（%s），%.0f 秒后重试", delivery_id, error, wait)
