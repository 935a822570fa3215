"""The plan's deadlines (R3–R10) and the periods the plan leaves to us, in working days.

A deadline ends at 24:00 of its last working day, China time (民法典 第二百零三条): we store
23:59:59 of that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from domain.calendar import WorkingDayCalendar
from domain.clock import CHINA


@dataclass(frozen=True)
class Period:
    working_days: int
    rule: str
    meaning: str


class Deadline(Enum):
    """Each deadline of the process: how many working days, counted from what."""

    ROUTING = Period(1, "R3", "分流：申报截止日（无截止日则受理日）起 1 个工作日")
    PRELIMINARY_REVIEW = Period(3, "R4", "初步审查：申报截止日（无截止日则受理日）起 3 个工作日")
    SUBSTANTIVE_REVIEW = Period(20, "R6", "现场核查、专家评审并作出审查结果：初审通过后 20 个工作日")
    # Not in the plan: "decide directly" (R7) gets one working day, so that no task is open-ended.
    DIRECT_DECISION = Period(1, "R7", "直接作出审查结果：初审通过后 1 个工作日（本系统设定）")
    RECOGNITION = Period(3, "R8", "下发认定文件：作出审查结果后 3 个工作日")
    DISBURSEMENT = Period(10, "R9", "会同财政下达资金：作出审查结果后 10 个工作日")
    MUNICIPAL_REPORT = Period(1, "R10", "上报市级主管部门：作出审查结果后 1 个工作日")
    # Periods the plan leaves open; values chosen after comparable platforms (see README).
    FEEDBACK = Period(1, "R12", "专窗统一反馈：收到部门书面结果后 1 个工作日（本系统设定）")
    SUPPLEMENT = Period(10, "R2/R5", "企业补正材料期限：告知后 10 个工作日（本系统设定）")
    OBJECTION = Period(5, "R20", "公示期：发布后 5 个工作日（本系统设定）")
    EXTENSION_DECISION = Period(1, "R11", "联席会议办公室审批延期：1 个工作日（本系统设定）")

    @property
    def working_days(self) -> int:
        return self.value.working_days


class DueMoment(dt.datetime):
    """A deadline's moment that remembers how it was counted (its start day and working days), so that
    it can be counted again on the official calendar when the year's schedule is loaded."""

    start: dt.date
    working_days: int

    @classmethod
    def counted(cls, moment: dt.datetime, start: dt.date, working_days: int) -> DueMoment:
        value = cls(
            moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
            moment.microsecond, moment.tzinfo,
        )  # fmt: skip
        value.start, value.working_days = start, working_days
        return value

    def basis(self) -> dict:
        return {"start": self.start.isoformat(), "workingDays": self.working_days}


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of the day, China time, as the last second of it."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA)


def due(calendar: WorkingDayCalendar, deadline: Deadline, start: dt.date, extra_days: int = 0) -> DueMoment:
    """The moment a deadline expires when its clock starts on ``start``."""
    days = deadline.working_days + extra_days
    return DueMoment.counted(end_of_day(calendar.add_working_days(start, days)), start, days)


def extend(calendar: WorkingDayCalendar, current: dt.datetime, working_days: int) -> DueMoment:
    """Move a deadline by ``working_days`` more working days (R11)."""
    start = current.astimezone(CHINA).date()
    return DueMoment.counted(end_of_day(calendar.add_working_days(start, working_days)), start, working_days)


def fulfilment_deadline(policy_level: str, policy_kind: str) -> Deadline:
    """Which deadline runs after an approving decision: report up, recognise, or disburse."""
    if policy_level == "higher":
        return Deadline.MUNICIPAL_REPORT  # R10
    if policy_kind == "qualification":
        return Deadline.RECOGNITION  # R8
    return Deadline.DISBURSEMENT  # R9


def routing_deadlines(calendar: WorkingDayCalendar, start: dt.date) -> dict[str, dt.datetime]:
    """The window's routing (R3) and the department's preliminary review (R4), counted from ``start``."""
    return {
        "routingDue": due(calendar, Deadline.ROUTING, start),  # R3
        "preliminaryReviewDue": due(calendar, Deadline.PRELIMINARY_REVIEW, start),  # R4
    }
