"""Application numbers (申报编号): HQ-<date>-<sequence of the day>, e.g. HQ-20260928-0007."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.applications.models import ApplicationSequence


def next_application_number(session: Session, day: dt.date) -> str:
    """Give out the next number of the day; the row update serialises concurrent callers."""
    if session.get(ApplicationSequence, day) is None:
        session.add(ApplicationSequence(day=day, last_number=0))
        session.flush()
    session.execute(
        update(ApplicationSequence)
        .where(ApplicationSequence.day == day)
        .values(last_number=ApplicationSequence.last_number + 1)
    )
    number = session.scalar(select(ApplicationSequence.last_number).where(ApplicationSequence.day == day))
    return f"HQ-{day:%Y%m%d}-{number:04d}"
