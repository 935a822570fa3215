"""Errors of the working-day calendar: never a guessed date."""

from __future__ import annotations

from pathlib import Path


class CalendarYearUnknown(Exception):
    """Neither chinesecalendar nor an operator file knows this year's holidays."""

    def __init__(self, year: int, schedule_dir: Path) -> None:
        super().__init__(
            f"{year} 年的法定节假日安排尚未载入，无法计算工作日期限。请将国务院办公厅关于 {year} 年"
            f"部分节假日安排的通知录入 {schedule_dir / f'{year}.toml'}（格式见 docs/working-day-calendar.md），"
            f"然后在 Cockpit 中重试该事件。"
        )
        self.year = year


class CalendarDataInvalid(Exception):
    """An operator's schedule file is malformed; the message names the file and the problem."""
