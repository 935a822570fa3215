"""Topic check_report_day: is today the first working day of the month? Then last month's report is due (R17).

The engine's timer starts the process every morning (a start timer cannot count working days); this
asks the official calendar, 调休 included, and the process ends quietly on any other day.
"""

from __future__ import annotations

from domain.timeliness.monthly_report import is_report_day, previous_month
from workers import resources
from workers.task import TaskContext

TOPIC = "check_report_day"


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    return {"reportDay": is_report_day(resources.calendar(), today), "reportMonth": previous_month(today)}
