"""Working days on the State Council's official calendar (weekends, public holidays, 调休)."""

from domain.calendar.errors import CalendarDataInvalid, CalendarYearUnknown
from domain.calendar.working_days import WorkingDayCalendar

__all__ = ["CalendarDataInvalid", "CalendarYearUnknown", "WorkingDayCalendar"]
