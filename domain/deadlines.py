"""The plan's deadlines (R3–R10) and the periods the plan leaves to us, in working days.

A deadline ends at 24:00 of its last working day, China time (民法典 第二百零三条): we store
23:59:59 of that day.
"""

from __future__ import annotations

import datetime as dt
import os
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
    ACCEPTANCE_CHECK = Period(1, "R3", "专窗受理审查：受理或企业补正后 1 个工作日（在 R3 分流时限内，本系统设定）")
    OBJECTION_HANDLING = Period(5, "R20", "部门处理公示异议：收到异议后 5 个工作日（本系统设定）")
    REDECISION = Period(5, "R7/R9", "退回部门重新审查：退回后 5 个工作日（本系统设定）")
    DISBURSEMENT_REVIEW = Period(2, "R9/R19", "财政审核拨付至少：公示期满后 2 个工作日（本系统设定）")
    SUPERVISION = Period(2, "R18", "联席会议办公室督办超期办件：预警后 2 个工作日（本系统设定）")
    EXTENSION_RESULT = Period(2, "R11", "申请人查阅延期结果：申请后 2 个工作日（本系统设定）")
    FEEDBACK = Period(1, "R12", "专窗统一反馈：收到部门书面结果后 1 个工作日（本系统设定）")
    SUPPLEMENT = Period(10, "R2/R5", "企业补正材料期限：告知后 10 个工作日（本系统设定）")
    SUPPLEMENT_CONTACT = Period(8, "R2/R16", "专窗联系未补正的企业：告知后第 8 个工作日（期满前 2 日，本系统设定）")
    FUNDS_ARRIVAL = Period(5, "R9/R19", "县财政局登记资金到账：下达支付指令后 5 个工作日（本系统设定）")
    RECONCILIATION = Period(2, "R19", "核对到账金额差异：发现后 2 个工作日（本系统设定）")
    MUNICIPAL_FOLLOW_UP = Period(5, "R10", "跟踪市级审查：上报后每 5 个工作日提醒部门一次（本系统设定）")
    MUNICIPAL_ANSWER = Period(20, "R10", "市级审查结果：上报后 20 个工作日未反馈即督办（本系统设定）")
    OBJECTION = Period(5, "R20", "公示期：发布后 5 个工作日（本系统设定）")
    EXTENSION_DECISION = Period(1, "R11", "联席会议办公室审批延期：1 个工作日（本系统设定）")
    JOINT_MEETING = Period(10, "R17", "召开月度联席会议并记录决议：月度报告生成后 10 个工作日（本系统设定）")

    @property
    def working_days(self) -> int:
        """The period; one the plan leaves to us (本系统设定) may be set by the operator with
        ``HUIQI_PERIOD_<NAME>`` (1–60 working days), for example ``HUIQI_PERIOD_SUPPLEMENT=15``."""
        chosen = os.environ.get(f"HUIQI_PERIOD_{self.name}")
        if chosen is None or "本系统设定" not in self.value.meaning:
            return self.value.working_days
        if not chosen.strip().isdigit() or not 1 <= int(chosen) <= 60:
            raise ValueError(f"HUIQI_PERIOD_{self.name}={chosen!r}：应为 1 到 60 之间的工作日数")
        return int(chosen)

    @property
    def own_choice(self) -> bool:
        """Whether the plan leaves this period to us (本系统设定), so the operator may change it."""
        return "本系统设定" in self.value.meaning


# On a task whose due date falls in a year without an official schedule (issue 10, item 1): Tasklist
# shows it as the task's description (bpmn:documentation of every user task with a due date).
PROVISIONAL_MARK = "【期限暂按法定节假日计算】该年度国务院放假安排尚未公布，公布后将按官方安排重新计算。"


def provisional_names(calendar: WorkingDayCalendar, variables: dict, known: str | None) -> str | None:
    """The deadline variables now counted provisionally, as " name name " (what the BPMN's task description
    tests with ``contains``); None when this return changes none of them."""
    dues = {name: value for name, value in variables.items() if isinstance(value, DueMoment)}
    if not dues:
        return None
    names = set((known or "").split())
    for name, value in dues.items():
        if calendar.provisional_between(value.start, value.date()):
            names.add(name)
        else:
            names.discard(name)
    return " " + " ".join(sorted(names)) + " "


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


def supplement_period(calendar: WorkingDayCalendar, today: dt.date, previous_due: dt.datetime | None,
                      extended_by: int) -> tuple[DueMoment, DueMoment]:
    """The supplement deadline and the day the window contacts an enterprise that has not supplemented
    (R2, R16): a first notice runs SUPPLEMENT working days from today, contact on its SUPPLEMENT_CONTACT-th
    day; an extension the window agreed runs ``extended_by`` working days from the previous deadline, and
    the window is reached again two working days before it ends (at its end when it is shorter)."""
    if extended_by > 0 and previous_due is not None:
        start = max(previous_due.astimezone(CHINA).date(), today)
        days = extended_by
    else:
        start, days = today, Deadline.SUPPLEMENT.working_days
    lead = max(Deadline.SUPPLEMENT.working_days - Deadline.SUPPLEMENT_CONTACT.working_days, 1)
    deadline = DueMoment.counted(end_of_day(calendar.add_working_days(start, days)), start, days)
    contact_days = days - lead if days > lead else days
    contact = DueMoment.counted(end_of_day(calendar.add_working_days(start, contact_days)), start, contact_days)
    return deadline, contact


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
