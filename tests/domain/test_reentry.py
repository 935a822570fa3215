"""Due dates on (re-)entry (issue 10, item 4) and the periods the operator may set (item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar import WorkingDayCalendar
from domain.deadlines import Deadline
from domain.timeliness.reentry import disbursement_due

DECIDED = dt.date(2026, 9, 28)  # Mon; 29, 30 Sep, 8, 9, 10 (调休), 12–16 Oct are working days


@pytest.fixture
def calendar(tmp_path):
    return WorkingDayCalendar(tmp_path)


def test_the_finance_bureau_has_r9s_ten_days_from_the_decision(calendar):
    assert disbursement_due(calendar, dt.date(2026, 10, 10), DECIDED, [], from_city=False).date() == dt.date(
        2026, 10, 16
    )


def test_the_departments_objection_handling_is_not_charged_to_the_finance_bureau(calendar):
    # The department took 12 → 14 Oct (2 working days) on an objection: the finance bureau's date moves by 2.
    due = disbursement_due(calendar, dt.date(2026, 10, 14), DECIDED, [(dt.date(2026, 10, 12), dt.date(2026, 10, 14))],
                           from_city=False)  # fmt: skip
    assert due.date() == dt.date(2026, 10, 20)
    assert due.basis() == {"start": "2026-09-28", "workingDays": 12}


def test_never_a_date_already_past(calendar):
    late = disbursement_due(calendar, dt.date(2026, 11, 2), DECIDED, [], from_city=False)
    assert late.date() == dt.date(2026, 11, 4)  # two working days from the day the step opens


def test_funds_the_city_approved_count_from_the_citys_answer(calendar):
    assert disbursement_due(calendar, dt.date(2026, 11, 2), DECIDED, [], from_city=True).date() == dt.date(
        2026, 11, 16
    )


def test_the_operator_sets_a_period_the_plan_leaves_open(monkeypatch):
    monkeypatch.setenv("HUIQI_PERIOD_SUPPLEMENT", "15")
    assert Deadline.SUPPLEMENT.working_days == 15 and Deadline.SUPPLEMENT.own_choice
    monkeypatch.setenv("HUIQI_PERIOD_PRELIMINARY_REVIEW", "9")  # R4 is the plan's: not the operator's to change
    assert Deadline.PRELIMINARY_REVIEW.working_days == 3 and not Deadline.PRELIMINARY_REVIEW.own_choice
    monkeypatch.setenv("HUIQI_PERIOD_SUPPLEMENT", "0")
    with pytest.raises(ValueError, match="HUIQI_PERIOD_SUPPLEMENT"):
        _ = Deadline.SUPPLEMENT.working_days
