"""Due dates when a case comes to a step, or comes back to it (issue 10, item 4).

Each loop's rule, so that no step opens with a date already past and no office is charged with
another's time:

- 受理审查 (window): every entry, the first and each after a supplement, has R3's day from that entry.
- 处理异议 (department): every objection has OBJECTION_HANDLING working days from its arrival.
- 审核拨付资金 (finance bureau): R9's ten working days from the decision, moved on by the working days
  the department spent handling objections (its time, not the finance bureau's); for funds the city
  approved (五.二), ten working days from the city's answer; never less than DISBURSEMENT_REVIEW
  working days from the day the step opens.
- 作出审查结果 after the finance bureau returned the case or the payee account was unusable:
  REDECISION working days from the return.
- 初步审查 after a correction: its original deadline or three working days from the supplement,
  whichever is later (workers/register_supplement.py).
"""

from __future__ import annotations

import datetime as dt

from domain.calendar import WorkingDayCalendar
from domain.deadlines import Deadline, DueMoment, due


def disbursement_due(
    calendar: WorkingDayCalendar,
    today: dt.date,
    decided_on: dt.date | None,
    objection_spans: list[tuple[dt.date, dt.date]],
    from_city: bool,
) -> DueMoment:
    """The finance bureau's due date for 审核拨付资金, by the rule above."""
    floor = due(calendar, Deadline.DISBURSEMENT_REVIEW, today)
    if from_city or decided_on is None:
        return max(due(calendar, Deadline.DISBURSEMENT, today), floor)
    department_days = sum(calendar.working_days_between(start, end) for start, end in objection_spans)
    planned = due(calendar, Deadline.DISBURSEMENT, decided_on, extra_days=department_days)
    return max(planned, floor)
