"""When the official schedule of a year is loaded: every open deadline counted provisionally in that year
moves to the official days, with its tasks' due dates and its timers, and the holders are told.

A deadline is a count of working days from its start; the case keeps how each was counted
(``deadlineBasis``), so it is counted again from the same start on the new calendar. A deadline without
that record (or moved by an extension since) is counted from the eve of the year, where the two
calendars still agree. Loading the same schedule twice moves nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from domain.calendar import WorkingDayCalendar
from domain.cases import VARIABLES, CaseRef
from domain.clock import CHINA
from domain.db import Database
from domain.deadlines import PROVISIONAL_MARK
from domain.engine.cases import CaseGateway
from domain.engine.tasks import TaskGateway
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService


@dataclass
class CaseMoves:
    """What moved in one case."""

    case: CaseRef
    enterprise_name: str
    deadlines: dict[str, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)  # variable → (old, new)
    holders: set[str] = field(default_factory=set)  # the groups whose tasks moved

    def lines(self) -> list[str]:
        return [
            f"{VARIABLES.get(name, name)}：{old.astimezone(CHINA):%Y年%m月%d日} → {new.astimezone(CHINA):%Y年%m月%d日}"
            for name, (old, new) in sorted(self.deadlines.items())
        ]


def is_deadline(name: str, value: object) -> bool:
    """A deadline variable of the vocabulary (``…Due``, ``…Ends``), not a moment that happened."""
    return name in VARIABLES and name.endswith(("Due", "Ends")) and isinstance(value, dt.datetime)


def recount(
    old: WorkingDayCalendar, new: WorkingDayCalendar, year: int, moment: dt.datetime, basis: dict | None
) -> dt.datetime:
    """The deadline on the new calendar: counted again from its own start when the case recorded how it was
    counted (and that still gives today's value), else by :func:`remap`."""
    local = moment.astimezone(CHINA)
    if local.year < year:
        return moment
    if basis:
        start, days = dt.date.fromisoformat(basis["start"]), int(basis["workingDays"])
        if old.add_working_days(start, days) == local.date():
            return dt.datetime.combine(new.add_working_days(start, days), local.timetz())
    return remap(old, new, year, moment)


def remap(old: WorkingDayCalendar, new: WorkingDayCalendar, year: int, moment: dt.datetime) -> dt.datetime:
    """The moment on the new calendar: same count of working days from the eve of ``year``, same time of day."""
    local = moment.astimezone(CHINA)
    eve = dt.date(year - 1, 12, 31)
    if local.date() <= eve:
        return moment
    count = old.working_days_between(eve, local.date())
    if count == 0:
        return moment
    day = new.add_working_days(eve, count)
    return dt.datetime.combine(day, local.timetz())


class Rescheduler:
    def __init__(self, cases: CaseGateway, tasks: TaskGateway, database: Database) -> None:
        self.cases = cases
        self.tasks = tasks
        self.database = database

    def apply(self, old: WorkingDayCalendar, new: WorkingDayCalendar, year: int) -> list[CaseMoves]:
        """Move every running case's deadlines in or after ``year`` from the old calendar to the new one."""
        moved = []
        for case_id, business_key in self.cases.running():
            variables = self.cases.variables(case_id)
            number = variables.get("applicationNumber") or business_key or case_id
            moves = CaseMoves(CaseRef(case_id, number), variables.get("enterpriseName") or "")
            basis = variables.get("deadlineBasis") or {}
            for name, value in variables.items():
                if not is_deadline(name, value):
                    continue
                target = recount(old, new, year, value, basis.get(name))
                if target != value:
                    self._move(case_id, name, value, target, moves, variables.get("departmentGroup"))
            if moves.deadlines:
                moved.append(moves)
            self._unmark(case_id, new, variables, basis)
        self._tell(moved, year)
        return moved

    def _unmark(self, case_id: str, new: WorkingDayCalendar, variables: dict, basis: dict) -> None:
        """Deadlines now counted on official schedules lose the provisional marker, on the case and its tasks."""
        marked = (variables.get("provisionalDeadlines") or "").split()
        official = set()
        for name in marked:
            due = self.cases.variable(case_id, name) if name in variables else None
            start = (basis.get(name) or {}).get("start")
            if due is not None and start and not new.provisional_between(dt.date.fromisoformat(start), due.date()):
                official.add(name)
                for task in self.tasks.open_tasks(case_id):
                    if task.due == due:
                        self.tasks.undescribe(task.id, PROVISIONAL_MARK)
        if official:
            remaining = " ".join(sorted(set(marked) - official))
            self.cases.set_variable(case_id, "provisionalDeadlines", f" {remaining} " if remaining else " ")

    def _move(self, case_id: str, name: str, old: dt.datetime, new: dt.datetime, moves: CaseMoves, unit: str | None):
        for task in self.tasks.open_tasks(case_id):
            if task.due == old:
                self.tasks.move_due(task.id, new)
                moves.holders.update(self.tasks.candidate_groups(task.id) or ([unit] if unit else []))
        for job in self.tasks.timer_jobs(case_id):
            if job.due == old:
                self.tasks.move_timer(job.id, new)
        self.cases.set_variable(case_id, name, new)
        moves.deadlines[name] = (old, new)

    def _tell(self, moved: list[CaseMoves], year: int) -> None:
        with self.database.session_scope() as session:
            notices = NoticeService(session)
            for moves in moved:
                lines = moves.lines()
                context = {"enterprise_name": moves.enterprise_name, "year": year, "moves": lines}
                version = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]  # a corrected file tells again
                for group in sorted(moves.holders):
                    once = f"{year}:{version}:{group}"
                    notices.record(moves.case, NoticeKind.DEADLINE_MOVED, Addressee(group), context, round_=once)
