"""The business clock: today's date and the time in China, where every deadline is counted.

``HUIQI_BUSINESS_DATE`` fixes the date (the time of day stays real) for tests and training
environments, the way Camunda's ClockUtil does for the engine; production never sets it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


class BusinessClock:
    def __init__(self, fixed_date: dt.date | None = None) -> None:
        self.fixed_date = fixed_date

    def now(self) -> dt.datetime:
        """The current moment in China time (on the fixed date, if one is set)."""
        current = dt.datetime.now(CHINA)
        if self.fixed_date is None:
            return current
        return dt.datetime.combine(self.fixed_date, current.timetz())

    def today(self) -> dt.date:
        return self.now().date()
