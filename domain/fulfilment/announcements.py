"""Public announcements (公示, R20) as the public reads them, and the objections raised against them.

An objection goes to the case first (the engine's ``objection_raised`` message, by the caller, with no
transaction open); only an objection the case took is recorded here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.fulfilment.models import Announcement, Objection


@dataclass(frozen=True)
class RaisedObjection:
    """An objection as the objector writes it: who, how to reach them, and what is wrong."""

    name: str
    contact: str
    text: str

    @property
    def complete(self) -> bool:
        return bool(self.name and self.contact and self.text)


def objections_open(announcement: Announcement, now: dt.datetime) -> bool:
    """Whether objections are still taken: up to and including the end of the objection period."""
    return now <= announcement.objection_period_ends


class AnnouncementService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def recent(self, limit: int = 50) -> list[Announcement]:
        """Return the latest announcements, newest first, at most ``limit`` of them."""
        return list(self.session.scalars(select(Announcement).order_by(Announcement.published_at.desc()).limit(limit)))

    def get(self, announcement_id: int) -> Announcement | None:
        """Return the announcement with this id, or None."""
        return self.session.get(Announcement, announcement_id)

    def for_case(self, process_instance_id: str) -> Announcement | None:
        """The case's latest announcement (a new round after a re-decision replaces the last), or None."""
        return self.session.scalar(
            select(Announcement)
            .where(Announcement.process_instance_id == process_instance_id)
            .order_by(Announcement.id.desc())
            .limit(1)
        )

    def record_objection(self, announcement: Announcement, objection: RaisedObjection) -> Objection:
        """Record an objection the announcement's case has taken, and return it."""
        row = Objection(
            announcement_id=announcement.id,
            application_number=announcement.application_number,
            name=objection.name,
            contact=objection.contact,
            text=objection.text,
        )
        self.session.add(row)
        self.session.flush()
        return row
