"""The data P3 creates, as plain values (no engine here): the sizes, each case's department, due dates and
variables, and the steps a finished case passes through.

Every size holds finished cases and, one for every ten of them, open ones waiting at the department's 初步审查
past their due date (overdue). A quarter of the cases belong to the department whose task list is measured
(县工信局); the rest are spread over the other departments. One finished case in ten finished its tasks late.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from domain.cases import NewCase
from domain.organisation import DEPARTMENTS, Unit

MEASURED = next(unit for unit in DEPARTMENTS if unit.group_id == "dept-industry")
OTHERS = tuple(unit for unit in DEPARTMENTS if unit != MEASURED)
MEASURED_SHARE = 4  # one case in four is the measured department's
LATE_EVERY = 10  # one finished case in ten was late at every step
OPEN_PER_FINISHED = 10  # one open case for every ten finished

# A finished case is started at its first department step, moved in batches through the next ones, and ended at
# 办结: three user tasks per case in the history (two of the department, the window's feedback), as a real case
# directly decided has five.
FINISHED_PATH = ("preliminary_review", "decide", "confirm_feedback")
CASE_END = "case_closed"
OPEN_AT = "preliminary_review"


@dataclass(frozen=True)
class Size:
    finished: int
    open: int

    @property
    def label(self) -> str:
        """1k, 10k, 100k (or the plain number when not a round thousand)."""
        return f"{self.finished // 1000}k" if self.finished % 1000 == 0 else str(self.finished)


QUICK = (Size(1_000, 100), Size(10_000, 1_000))
FULL = (*QUICK, Size(100_000, 10_000))


def sizes_for(full: bool) -> tuple[Size, ...]:
    return FULL if full else QUICK


def parse_sizes(text: str) -> tuple[Size, ...]:
    """``--sizes 200,2000`` (open: a tenth) or ``200/20,2000/200`` (finished/open), growing."""
    sizes = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        finished, _, open_ = part.partition("/")
        try:
            size = Size(int(finished), int(open_) if open_ else int(finished) // OPEN_PER_FINISHED)
        except ValueError:
            raise ValueError(f"size {part!r} is not a number of cases (e.g. 1000 or 1000/100)") from None
        if size.finished < 1 or size.open < 0:
            raise ValueError(f"size {part!r}: at least one finished case, no negative open ones")
        sizes.append(size)
    if not sizes:
        raise ValueError("no size given")
    if any(b.finished <= a.finished or b.open < a.open for a, b in itertools.pairwise(sizes)):
        raise ValueError("sizes must grow: the data of each size is added to the one before")
    return tuple(sizes)


@dataclass(frozen=True)
class Growth:
    """What to create to go from one size to the next: case numbers [start, stop) of each kind."""

    finished: range
    open: range

    @property
    def cases(self) -> int:
        return len(self.finished) + len(self.open)

    @property
    def operations(self) -> int:
        """Engine calls' worth of work: one start per case, one move per finished case and step after the first."""
        return self.cases + len(self.finished) * len(FINISHED_PATH)


def growth(before: Size | None, after: Size) -> Growth:
    return Growth(
        range(before.finished if before else 0, after.finished), range(before.open if before else 0, after.open)
    )


def department_for(index: int) -> Unit:
    if index % MEASURED_SHARE == 0:
        return MEASURED
    others_before = index - index // MEASURED_SHARE - 1  # the cases before this one that are not the measured's
    return OTHERS[others_before % len(OTHERS)]


def measured_share(count: int) -> int:
    """How many of cases 0 … count-1 are the measured department's."""
    return (count + MEASURED_SHARE - 1) // MEASURED_SHARE


def end_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), zone)


def finished_case(index: int, now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """Business key and variables of finished case ``index``: due in three days, or yesterday when late."""
    days = -1 if index % LATE_EVERY == 0 else 3
    return f"HQ-P3-F{index:06d}", _variables(f"HQ-P3-F{index:06d}", department_for(index), now, days)


def open_case(index: int, now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """Business key and variables of open case ``index``: overdue by 1 to 20 days."""
    return f"HQ-P3-O{index:06d}", _variables(f"HQ-P3-O{index:06d}", department_for(index), now, -1 - index % 20)


def _variables(number: str, department: Unit, now: dt.datetime, due_in_days: int) -> dict[str, Any]:
    """What a case holds when it reaches its department: the application as filed, its routing and deadlines."""
    filed = NewCase(
        application_number=number,
        enterprise_name="福兴科技有限公司",
        credit_code="91350100M000100Y43",
        policy_code="GX-2026-001",
        guide_version=1,
        contact_name="张三",
        contact_phone="13800000000",
        contact_email=None,
        summary="申请县级资质认定",
        payee_bank=None,
        payee_account=None,
        channel="window",
        material_codes=("M01", "M02", "M03"),
        intake_by="window-clerk",
    )
    due = end_of_day(now.date() + dt.timedelta(days=due_in_days), now.tzinfo or dt.UTC)
    return {
        **filed.variables(),
        "acceptanceDate": now.date(),
        "policyName": "基准测试：县级资质认定",
        "policyKind": "qualification",
        "policyLevel": "county",
        "needsSiteInspection": False,
        "needsExpertReview": False,
        "departmentGroup": department.group_id,
        "departmentName": department.name,
        "routingDue": due,
        "preliminaryReviewDue": due,
        "decisionDue": due,
        "feedbackDue": due,
    }
