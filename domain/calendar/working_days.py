"""WorkingDayCalendar: count working days on the official calendar.

A year comes from the operator's schedule file when there is one (it wins: corrections, and it is read
again when the file changes, so no restart is needed), else from chinesecalendar. A year neither knows
yet — the State Council announces the next year's schedule late in the year — is counted provisionally
on the statutory holidays (domain/calendar/statutory.py) and weekends: cases never stop for lack of a
schedule, and every date counted that way is marked provisional (暂按法定节假日计算) until the operator
loads the official notice (`python -m domain calendar load`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import chinese_calendar

from domain.calendar.errors import CalendarYearUnknown
from domain.calendar.schedule_file import YearSchedule, load_schedule
from domain.calendar.statutory import FIRST_YEAR, statutory_holidays


class WorkingDayCalendar:
    def __init__(self, schedule_dir: Path) -> None:
        self.schedule_dir = schedule_dir
        self._years: dict[int, tuple[int, YearSchedule]] = {}  # year → (file's mtime_ns, its schedule)

    def is_working_day(self, day: dt.date) -> bool:
        """True on a working day: Monday–Friday not off, or a 调休 weekend day."""
        schedule = self._schedule(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            return day.weekday() < 5 and day not in schedule.holidays
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year < FIRST_YEAR:
            raise CalendarYearUnknown(day.year, self.schedule_dir)
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def is_provisional(self, year: int) -> bool:
        """Whether this year's days are counted on the statutory holidays only (no official schedule yet)."""
        return self._schedule(year) is None and not _library_knows(year)

    def provisional_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether a count from ``start`` to ``end`` crosses a provisional year."""
        return any(self.is_provisional(year) for year in range(start.year, end.year + 1))

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """Return the ``count``-th working day after ``start`` (``start`` itself is not counted)."""
        if count < 1:
            raise ValueError(f"工作日数应为正整数，实际为 {count}")
        day, counted = start, 0
        while counted < count:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days follow ``start`` up to and including ``end``."""
        return sum(
            1 for offset in range(1, (end - start).days + 1) if self.is_working_day(start + dt.timedelta(days=offset))
        )

    def known_years(self) -> list[int]:
        """The years this calendar knows officially (file or library)."""
        files = {int(p.stem) for p in self.schedule_dir.glob("*.toml") if p.stem.isdigit()}
        library = {year for year in range(2004, 2100) if _library_knows(year)}
        return sorted(files | library)

    def _schedule(self, year: int) -> YearSchedule | None:
        """The operator's schedule of the year, read again whenever its file changes."""
        path = self.schedule_dir / f"{year}.toml"
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            self._years.pop(year, None)
            return None
        cached = self._years.get(year)
        if cached is None or cached[0] != mtime:
            self._years[year] = (mtime, load_schedule(path))
        return self._years[year][1]


@cache
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
