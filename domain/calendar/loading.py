"""Loading a year's official schedule: check the file, keep the calendar as it was, install the file.

The file is checked whole before anything changes (a contradiction is refused with what is wrong), and
installed by an atomic rename, so workers never read half a file; they read it again by its new
modification time, without a restart.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from domain.calendar.schedule_file import YearSchedule, load_schedule
from domain.calendar.working_days import WorkingDayCalendar


def install_schedule(source: Path, schedule_dir: Path, keep_old_in: Path) -> tuple[YearSchedule, WorkingDayCalendar]:
    """Check ``source`` and install it as its year's file; return it and the calendar as it was before.

    The old calendar reads a copy of the previous files kept in ``keep_old_in``.
    """
    schedule = load_schedule(source)  # raises CalendarDataInvalid (the file is named <year>.toml), nothing changed
    target = schedule_dir / f"{schedule.year}.toml"
    schedule_dir.mkdir(parents=True, exist_ok=True)
    for existing in schedule_dir.glob("*.toml"):
        shutil.copy2(existing, keep_old_in / existing.name)
    if source.resolve() != target.resolve():
        with tempfile.NamedTemporaryFile("wb", dir=schedule_dir, suffix=".part", delete=False) as part:
            part.write(source.read_bytes())
        Path(part.name).replace(target)
    return schedule, WorkingDayCalendar(keep_old_in)
