"""Working days on the official calendar: holidays, 调休, operator files, unknown years."""

import datetime as dt
from pathlib import Path

import pytest

from domain.calendar import CalendarDataInvalid, CalendarYearUnknown, WorkingDayCalendar
from domain.deadlines import Deadline, due, extend

D = dt.date

SCHEDULE_2031 = """
year = 2031
source = "测试用：非官方数据"

[[holidays]]
name = "元旦"
start = 2031-01-01
end = 2031-01-03

[[workdays]]
name = "元旦调休上班"
date = 2031-01-05
"""


@pytest.fixture
def calendar(tmp_path: Path) -> WorkingDayCalendar:
    return WorkingDayCalendar(tmp_path)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 9, 30), True),  # Wednesday before National Day
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 7), False),  # last day of the holiday, a Wednesday
        (D(2026, 10, 10), True),  # 调休: a Saturday that is a working day
        (D(2026, 10, 11), False),  # ordinary Sunday
        (D(2026, 9, 20), True),  # 调休 Sunday
        (D(2026, 9, 25), False),  # Mid-autumn, a Friday
    ],
)
def test_official_2026_calendar(calendar, day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # R3 across National Day
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # R4 ends on the 调休 Saturday
        (D(2026, 9, 28), 20, D(2026, 10, 30)),  # R6
        (D(2026, 9, 28), 10, D(2026, 10, 16)),  # R9
        (D(2026, 10, 3), 1, D(2026, 10, 8)),  # counting from inside a holiday
    ],
)
def test_adding_working_days(calendar, start, count, expected):
    assert calendar.add_working_days(start, count) == expected


def test_a_deadline_ends_at_the_last_second_of_its_day_china_time(calendar):
    moment = due(calendar, Deadline.PRELIMINARY_REVIEW, D(2026, 9, 30))
    assert moment.isoformat() == "2026-10-10T23:59:59+08:00"
    assert extend(calendar, moment, 2).isoformat() == "2026-10-13T23:59:59+08:00"


def test_a_year_without_a_schedule_is_counted_on_the_statutory_holidays(calendar):
    # 2027: the State Council has not announced it; chinesecalendar 1.11 does not know it.
    assert calendar.is_provisional(2027) and not calendar.is_provisional(2026)
    assert not calendar.is_working_day(D(2027, 2, 5))  # 除夕
    assert not calendar.is_working_day(D(2027, 2, 9))  # 补假 for 春节 days on the weekend
    assert calendar.is_working_day(D(2027, 2, 11))
    assert calendar.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)  # 31 Dec, (元旦, weekend) 4 Jan
    assert calendar.provisional_between(D(2026, 12, 30), D(2027, 1, 4))
    assert not calendar.provisional_between(D(2026, 9, 28), D(2026, 10, 16))


def test_a_year_before_the_current_rules_that_nobody_knows_is_refused(calendar, tmp_path):
    with pytest.raises(CalendarYearUnknown) as refused:
        calendar.is_working_day(D(2003, 5, 5))  # before chinesecalendar's first year and the 2025 rules
    assert "2003 年的法定节假日安排尚未载入" in str(refused.value)
    assert str(tmp_path / "2003.toml") in str(refused.value)


def test_a_corrected_file_is_read_again_without_a_restart(tmp_path):
    calendar = WorkingDayCalendar(tmp_path)
    path = tmp_path / "2031.toml"
    path.write_text(SCHEDULE_2031, encoding="utf-8")
    assert calendar.is_working_day(D(2031, 1, 5))
    path.write_text(SCHEDULE_2031.replace("date = 2031-01-05", "date = 2031-01-04"), encoding="utf-8")
    import os

    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9, path.stat().st_mtime_ns + 10**9))
    assert not calendar.is_working_day(D(2031, 1, 5)) and calendar.is_working_day(D(2031, 1, 4))
    path.unlink()
    assert calendar.is_provisional(2031)


def test_an_operator_file_teaches_a_new_year(tmp_path):
    (tmp_path / "2031.toml").write_text(SCHEDULE_2031, encoding="utf-8")
    calendar = WorkingDayCalendar(tmp_path)
    assert not calendar.is_working_day(D(2031, 1, 2))
    assert calendar.is_working_day(D(2031, 1, 5))  # Sunday, 调休
    assert calendar.add_working_days(D(2030, 12, 31), 1) == D(2031, 1, 5)
    assert 2031 in calendar.known_years()


def test_an_operator_file_overrides_the_library(tmp_path):
    (tmp_path / "2026.toml").write_text(
        'year = 2026\nsource = "更正"\n[[holidays]]\nname = "测试"\nstart = 2026-03-02\nend = 2026-03-02\n',
        encoding="utf-8",
    )
    calendar = WorkingDayCalendar(tmp_path)
    assert not calendar.is_working_day(D(2026, 3, 2))
    assert calendar.is_working_day(D(2026, 10, 1))  # the file replaces the whole year


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("year = ", "不是有效的 TOML"),
        ('year = 2030\nsource = "x"', "与文件名一致"),
        ("year = 2031", "缺少 source"),
        ('year = 2031\nsource = "x"', "没有任何假期"),
        ('year = 2031\nsource = "x"\n[[holidays]]\nstart = 2031-01-03\nend = 2031-01-01', "end 不早于 start"),
        (
            'year = 2031\nsource = "x"\n[[holidays]]\nstart = 2031-01-01\n[[workdays]]\ndate = 2031-01-06',
            "不是周六或周日",
        ),
        ('year = 2031\nsource = "x"\n[[holidays]]\nstart = 2030-12-31', "不在 2031 年内"),
    ],
)
def test_a_malformed_operator_file_is_named(tmp_path, content, problem):
    (tmp_path / "2031.toml").write_text(content, encoding="utf-8")
    with pytest.raises(CalendarDataInvalid, match=rf"2031\.toml：.*{problem}"):
        WorkingDayCalendar(tmp_path).is_working_day(D(2031, 5, 5))
