"""The statutory public holidays of a year (全国年节及纪念日放假办法, as amended in 2024, in force 2025).

元旦 1 day; 春节 4 (除夕 to 正月初三); 清明 1; 劳动节 2 (1–2 May); 端午 1; 中秋 1; 国庆 3 (1–3 October).
A holiday day that falls on a Saturday or Sunday is made up on the next working day (第六条：
适逢星期六、星期日，应当在工作日补假). Lunar dates and the 清明 solar term come from lunar-python.
This is what a year's calendar is before the State Council announces its schedule: the days off are
certain, the 调休 make-up days are not, so a deadline counted on it is provisional (暂按法定节假日计算)
until the operator loads the official notice.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from lunar_python import Lunar

FIRST_YEAR = 2025  # the amended 办法 is in force from 2025; earlier years are all known officially


def _solar(lunar_year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Every statutory day off of the year, with its holiday's name, 补假 days included."""
    if year < FIRST_YEAR:
        raise ValueError(f"{year} 年早于现行放假办法（2025 年起施行）")
    new_year = _solar(year, 1, 1)
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    blocks = [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", [new_year + dt.timedelta(days=offset) for offset in range(-1, 3)]),  # 除夕 to 正月初三
        ("清明节", [dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [_solar(year, 5, 5)]),
        ("中秋节", [_solar(year, 8, 15)]),
        ("国庆节", [dt.date(year, 10, day) for day in (1, 2, 3)]),
    ]
    days: dict[dt.date, str] = {day: name for name, block in blocks for day in block}
    for name, block in blocks:
        owed = sum(1 for day in block if day.weekday() >= 5)
        day = max(block)
        while owed:  # 补假: the next weekdays that are not off already
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in days:
                days[day] = f"{name}（补假）"
                owed -= 1
    return days
