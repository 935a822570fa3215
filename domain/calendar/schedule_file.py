"""One year's official holiday schedule, typed in by the operator from the State Council notice.

Format (TOML, one file per year, named ``<year>.toml``)::

    year = 2027
    source = "国办发明电〔2026〕N号"        # the notice it was typed from

    [[holidays]]                           # days off, a range per holiday
    name = "元旦"
    start = 2027-01-01
    end = 2027-01-03

    [[workdays]]                           # 调休: a Saturday or Sunday that is a working day
    name = "春节调休上班"
    date = 2027-02-07
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from domain.calendar.errors import CalendarDataInvalid


@dataclass(frozen=True)
class YearSchedule:
    """The days off and the make-up working days of one year."""

    year: int
    source: str
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


def load_schedule(path: Path) -> YearSchedule:
    """Read and check one schedule file, or raise CalendarDataInvalid naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CalendarDataInvalid(f"{path.name}：不是有效的 TOML：{exc}") from exc

    def fail(problem: str) -> CalendarDataInvalid:
        return CalendarDataInvalid(f"{path.name}：{problem}")

    year = data.get("year")
    if not isinstance(year, int) or path.stem != str(year):
        raise fail(f"year 应为整数且与文件名一致，实际为 {year!r}")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise fail("缺少 source（所依据的国务院办公厅通知文号）")

    holidays: set[dt.date] = set()
    for entry in data.get("holidays", []):
        start, end = entry.get("start"), entry.get("end", entry.get("start"))
        if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
            raise fail(f"假期 {entry.get('name', '?')} 的 start/end 应为日期且 end 不早于 start")
        day = start
        while day <= end:
            holidays.add(day)
            day += dt.timedelta(days=1)

    workdays: set[dt.date] = set()
    for entry in data.get("workdays", []):
        day = entry.get("date")
        if not isinstance(day, dt.date):
            raise fail(f"调休上班日 {entry.get('name', '?')} 的 date 应为日期")
        if day.weekday() < 5:
            raise fail(f"调休上班日 {day} 不是周六或周日")
        workdays.add(day)

    if not holidays:
        raise fail("没有任何假期（holidays）")
    outside = sorted(d for d in holidays | workdays if d.year != year)
    if outside:
        raise fail(f"日期 {outside[0]} 不在 {year} 年内")
    both = sorted(holidays & workdays)
    if both:
        raise fail(f"{both[0]} 同时被列为假期和调休上班日")
    return YearSchedule(year, source.strip(), frozenset(holidays), frozenset(workdays))
