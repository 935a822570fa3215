"""A provisional deadline moves to the official days once the year's schedule is loaded (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar import CalendarDataInvalid, WorkingDayCalendar
from domain.calendar.loading import install_schedule
from domain.clock import CHINA
from domain.timeliness.rescheduling import is_deadline, recount, remap

OFFICIAL_2027 = """
year = 2027
source = "测试用：假定的国务院办公厅通知"

[[holidays]]
name = "元旦"
start = 2027-01-01
end = 2027-01-01

[[holidays]]
name = "春节"
start = 2027-02-05
end = 2027-02-11

[[workdays]]
name = "春节调休上班"
date = 2027-02-13
"""


def moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA)


@pytest.fixture
def calendars(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "2027.toml").write_text(OFFICIAL_2027, encoding="utf-8")
    return WorkingDayCalendar(tmp_path / "old"), WorkingDayCalendar(tmp_path / "new")


@pytest.mark.parametrize(
    ("provisional", "official"),
    [
        (dt.date(2027, 2, 11), dt.date(2027, 2, 12)),  # a working day provisionally, off officially
        (dt.date(2027, 2, 15), dt.date(2027, 2, 15)),  # the 调休 Saturday makes up for it
        (dt.date(2027, 2, 4), dt.date(2027, 2, 4)),  # before the holiday: the same
        (dt.date(2026, 12, 30), dt.date(2026, 12, 30)),  # an official year never moves
    ],
)
def test_a_deadline_keeps_its_count_of_working_days(calendars, provisional, official):
    old, new = calendars
    assert remap(old, new, 2027, moment(provisional)) == moment(official)


def test_the_same_calendar_moves_nothing(calendars):
    _, new = calendars
    assert remap(new, new, 2027, moment(dt.date(2027, 2, 12))) == moment(dt.date(2027, 2, 12))


def test_only_deadline_variables_move():
    due = moment(dt.date(2027, 2, 11))
    assert is_deadline("preliminaryReviewDue", due) and is_deadline("objectionPeriodEnds", due)
    assert not is_deadline("paymentConfirmedAt", due)  # a moment that happened
    assert not is_deadline("notDeclaredDue", due)


def test_a_contradictory_file_changes_nothing(tmp_path):
    schedule_dir, before = tmp_path / "calendar", tmp_path / "before"
    schedule_dir.mkdir()
    before.mkdir()
    bad = tmp_path / "2027.toml"
    bad.write_text(OFFICIAL_2027.replace("2027-02-13", "2027-02-06"), encoding="utf-8")  # a holiday and a workday
    with pytest.raises(CalendarDataInvalid, match="2027-02-06 同时被列为假期和调休上班日"):
        install_schedule(bad, schedule_dir, before)
    assert list(schedule_dir.iterdir()) == []


def test_a_deadline_that_started_within_the_year_is_counted_again_from_its_start(calendars):
    old, new = calendars
    # Started Mon 8 Feb 2027 (provisionally a holiday), 3 working days: 11, 12, 15 Feb provisionally.
    basis = {"start": "2027-02-08", "workingDays": 3}
    assert old.add_working_days(dt.date(2027, 2, 8), 3) == dt.date(2027, 2, 15)
    # Officially 8–11 Feb are off and Sat 13 Feb is worked: 12, 13, 15 Feb.
    assert recount(old, new, 2027, moment(dt.date(2027, 2, 15)), basis) == moment(dt.date(2027, 2, 15))
    basis = {"start": "2027-02-04", "workingDays": 2}  # provisionally 11, 12 Feb; officially 12, (Sat) 13 Feb
    assert recount(old, new, 2027, moment(dt.date(2027, 2, 12)), basis) == moment(dt.date(2027, 2, 13))


def test_a_record_that_no_longer_gives_the_value_is_not_trusted(calendars):
    old, new = calendars
    stale = {"start": "2027-01-04", "workingDays": 1}  # an extension moved the deadline since
    late = moment(dt.date(2027, 2, 11))
    assert recount(old, new, 2027, late, stale) == remap(old, new, 2027, late)
