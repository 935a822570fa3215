"""Application numbers (申报编号): HQ-<date>-<sequence of the day>, e.g. HQ-20260928-0007."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from domain.applications.models import ApplicationSequence
from domain.sequences import next_in_sequence


def next_application_number(session: Session, day: dt.date) -> str:
    """Give out the next number of the day."""
    return f"HQ-{day:%Y%m%d}-{next_in_sequence(session, ApplicationSequence, day=day):04d}"
