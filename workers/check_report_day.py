"""Topic check_report_day: is last month's report due (R17)? From the first working day of the month until it
is filed.

The engine's timer starts the process every morning (a start timer cannot count working days); this asks the
official calendar, 调休 included, and the filed reports: a first working day missed because the engine or the
workers were down is caught up the next morning, and every other day ends quietly.
"""

from __future__ import annotations

from domain.timeliness.monthly_report import previous_month, report_is_due
from workers import resources
from workers.task import TaskContext

TOPIC = "check_report_day"


def handle(task: TaskContext) -> dict:
    today = resources.clock().today()
    return {
        "reportDay": report_is_due(resources.database(), resources.calendar(), today),
        "reportMonth": previous_month(today),
    }
