"""The statutory holidays (全国年节及纪念日放假办法, 2024) that count a year not announced yet."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from domain.calendar.statutory import statutory_holidays

D = dt.date


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_off_in_the_official_calendar(year):
    """Checked against the years whose official schedule chinesecalendar knows."""
    core = {day for day, name in statutory_holidays(year).items() if "补假" not in name}
    assert len(core) == 13
    assert [day for day in core if chinese_calendar.is_workday(day)] == []


def test_the_lunar_holidays_of_2027():
    days = statutory_holidays(2027)
    assert [d for d, n in days.items() if n == "春节"] == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"


def test_a_holiday_on_a_weekend_is_made_up_on_the_next_weekdays():
    days = statutory_holidays(2027)
    assert days[D(2027, 2, 9)] == days[D(2027, 2, 10)] == "春节（补假）"  # 6, 7 Feb are a weekend
    assert days[D(2027, 10, 4)] == days[D(2027, 10, 5)] == "国庆节（补假）"  # 2, 3 Oct are a weekend
    assert statutory_holidays(2028)[D(2028, 1, 3)] == "元旦（补假）"  # 1 Jan 2028 is a Saturday


def test_years_before_the_current_rules_are_refused():
    with pytest.raises(ValueError, match="早于现行放假办法"):
        statutory_holidays(2024)
