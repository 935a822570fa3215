"""WorkingDayCalendar: count working days on the official calendar.

A year comes from the operator's schedule file when there is one (it wins: corrections), else from
chinesecalendar; a year neither knows raises CalendarYearUnknown, never a guess.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import chinese_calendar

from domain.calendar.errors import CalendarYearUnknown
from domain.calendar.schedule_file import YearSchedule, load_schedule


class WorkingDayCalendar:
    def __init__(self, schedule_dir: Path) -> None:
        self.schedule_dir = schedule_dir
        self._years: dict[int, YearSchedule] = {}

    def is_working_day(self, day: dt.date) -> bool:
        """True on a working day: Monday–Friday not off, or a 调休 weekend day."""
        schedule = self._schedule(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            return day.weekday() < 5 and day not in schedule.holidays
        if not _library_knows(day.year):
            raise CalendarYearUnknown(day.year, self.schedule_dir)
        return chinese_calendar.is_workday(day)

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

    def known_years(self) -> list[int]:
        """The years this calendar can answer for."""
        files = {int(p.stem) for p in self.schedule_dir.glob("*.toml") if p.stem.isdigit()}
        library = {year for year in range(2004, 2100) if _library_knows(year)}
        return sorted(files | library)

    def _schedule(self, year: int) -> YearSchedule | None:
        """The operator's schedule of the year; looked for again until found (it may be added live)."""
        if year not in self._years:
            path = self.schedule_dir / f"{year}.toml"
            if not path.exists():
                return None
            self._years[year] = load_schedule(path)
        return self._years[year]


@cache
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
