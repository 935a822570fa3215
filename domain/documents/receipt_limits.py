"""The time limits a 受理回执 promises (R3–R12): each step's working days, counted as domain/deadlines.py counts.

Stated as "N 个工作日" from the step's starting point. A date is added only where the start is already fixed
when the window prints: the acceptance check from the day received, routing and preliminary review from the
policy's 申报截止日 (when it is still ahead). The later steps start on events nobody knows yet.
A date counted in a year without the State Council's schedule says so (暂按法定节假日计算), never a guess
passed off as official.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.applications.acceptance import Guide
from domain.calendar import WorkingDayCalendar
from domain.calendar.errors import CalendarDataInvalid, CalendarYearUnknown
from domain.deadlines import Deadline, fulfilment_deadline
from domain.policies.models import Policy


@dataclass(frozen=True)
class TimeLimit:
    step: str
    working_days: int
    basis: str  # counted from what
    rule: str  # the plan's rule, or 本系统设定 for a period the plan leaves to us
    by: str = ""  # 2026年9月29日前, when the start is already fixed

    @property
    def limit(self) -> str:
        return f"{self.working_days} 个工作日"


def _rule(deadline: Deadline, rule: str) -> str:
    return f"{rule}（本系统设定）" if deadline.own_choice else rule


def _by(calendar: WorkingDayCalendar, start: dt.date, deadline: Deadline) -> str:
    """The last day of the period counted from ``start``, as the receipt prints it ("" when it cannot be known)."""
    try:
        day = calendar.add_working_days(start, deadline.working_days)
        provisional = calendar.provisional_between(start, day)
    except (CalendarYearUnknown, CalendarDataInvalid):
        return ""
    text = f"{day.year}年{day.month}月{day.day}日前"
    return f"{text}（暂按法定节假日计算）" if provisional else text


def time_limits(
    calendar: WorkingDayCalendar, policy: Policy | None, guide: Guide | None, received_on: dt.date
) -> list[TimeLimit]:
    """The steps ahead of an application received on that day, with their limits (R3–R12).

    ``policy`` None: a code outside the catalogue, routed by the window by hand; only the steps every case
    has are listed.
    """
    check = Deadline.ACCEPTANCE_CHECK
    limits = [
        TimeLimit("专窗受理审查（材料不全的一次性告知补正）", check.working_days, "收件之日起",
                  _rule(check, "R1、R2"), _by(calendar, received_on, check)),
        TimeLimit("企业补正材料（如需补正）", Deadline.SUPPLEMENT.working_days, "收到补正告知之日起",
                  _rule(Deadline.SUPPLEMENT, "R2、R5")),
    ]  # fmt: skip
    deadline_day = guide.deadline if guide is not None else None
    if deadline_day is not None:
        basis = f"申报截止日（{deadline_day.year}年{deadline_day.month}月{deadline_day.day}日）起"
    else:
        basis = "受理之日起（常年受理的政策）"
    for step, deadline, rule in (
        ("分流转办至主管部门", Deadline.ROUTING, "R3"),  # R3
        ("主管部门初步审查", Deadline.PRELIMINARY_REVIEW, "R4"),  # R4
    ):
        fixed = deadline_day is not None and deadline_day >= received_on
        limits.append(
            TimeLimit(step, deadline.working_days, basis, rule, _by(calendar, deadline_day, deadline) if fixed else "")
        )
    if policy is not None:
        limits += _decision_and_fulfilment(policy)
    feedback = Deadline.FEEDBACK
    limits.append(
        TimeLimit("专窗统一反馈办理结果", feedback.working_days, "收到部门书面结果之日起", _rule(feedback, "R12"))
    )
    return limits


def _decision_and_fulfilment(policy: Policy) -> list[TimeLimit]:
    """R6 or R7, then R8, R9 or R10, as the policy's kind and level decide."""
    if policy.needs_site_inspection or policy.needs_expert_review:
        procedures = "、".join(
            name
            for name, needed in (("现场核查", policy.needs_site_inspection), ("专家评审", policy.needs_expert_review))
            if needed
        )
        decision = TimeLimit(f"{procedures}并作出审查结果", Deadline.SUBSTANTIVE_REVIEW.working_days,
                             "初步审查通过之日起", "R6")  # fmt: skip
    else:
        direct = Deadline.DIRECT_DECISION
        decision = TimeLimit("作出审查结果", direct.working_days, "初步审查通过之日起", _rule(direct, "R7"))
    stage = fulfilment_deadline(policy.level.value, policy.kind.value)
    step = {
        Deadline.MUNICIPAL_REPORT: ("审核通过后上报市级主管部门（并持续跟踪）", "R10"),
        Deadline.RECOGNITION: ("审查通过后下发认定文件", "R8"),
        Deadline.DISBURSEMENT: ("审查通过后会同县财政局拨付专项资金", "R9"),
    }[stage]
    return [decision, TimeLimit(step[0], stage.working_days, "作出审查结果之日起", step[1])]
