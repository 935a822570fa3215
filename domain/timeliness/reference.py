"""The county's reference data the engine needs to compute the timeliness figures (R17, R18): its units in
order with their Chinese names, and the official working-day calendar of each year the calendar knows.

The figures are computed in the engine (engine/…/timeliness/TimelinessFigures.java), beside the history they
count; this module deploys what it cannot know by itself as one JSON resource of its own deployment. Duplicate
filtering makes an unchanged publication deploy nothing. `python -m domain deploy` publishes it, and so does
`python -m domain calendar load`, so that a newly loaded schedule counts at once.
"""

from __future__ import annotations

import datetime as dt
import json

from domain.calendar import WorkingDayCalendar
from domain.engine import EngineClient
from domain.engine.deployment import deploy_document
from domain.organisation import DEPARTMENTS, FINANCE_BUREAU, WINDOW, Unit

DEPLOYMENT_NAME = "huiqi-reference"  # read by ReferenceData.java
RESOURCE_NAME = "huiqi-reference.json"
FIRST_YEAR = 2020  # the earliest year a case's steps are counted in (the service opened after it)
YEARS_AHEAD = 1  # next year too, provisionally until the State Council publishes it

# The units the figures are given for, in the county's order (the window receives every case, R1).
UNITS: tuple[Unit, ...] = (WINDOW, *DEPARTMENTS, FINANCE_BUREAU)


def reference_data(calendar: WorkingDayCalendar, today: dt.date) -> dict:
    """Units and, per year, the weekdays off and the weekend days worked (调休) — everything else follows."""
    years = {}
    for year in range(FIRST_YEAR, today.year + YEARS_AHEAD + 1):
        day, holidays, workdays = dt.date(year, 1, 1), [], []
        while day.year == year:
            working = calendar.is_working_day(day)
            if day.weekday() < 5 and not working:
                holidays.append(day.isoformat())
            elif day.weekday() >= 5 and working:
                workdays.append(day.isoformat())
            day += dt.timedelta(days=1)
        years[str(year)] = {"holidays": holidays, "workdays": workdays, "provisional": calendar.is_provisional(year)}
    return {
        "version": 1,
        "units": [{"group": unit.group_id, "name": unit.name} for unit in UNITS],
        "calendar": {"years": years},
    }


def publish(admin: EngineClient, calendar: WorkingDayCalendar, today: dt.date) -> str:
    """Deploy the reference data (a new version only when it changed); return the deployment's id."""
    body = json.dumps(reference_data(calendar, today), ensure_ascii=False, sort_keys=True, indent=1)
    return deploy_document(admin, DEPLOYMENT_NAME, RESOURCE_NAME, body.encode("utf-8"))
