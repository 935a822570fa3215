"""How a case ended: the ``outcome`` variable every end of the process leaves (issue: every end)."""

from enum import Enum


class Outcome(Enum):
    APPROVED_RECOGNISED = ("approved-recognised", "予以认定")  # R8
    APPROVED_PAID = ("approved-paid", "予以兑现，专项资金已拨付")  # R9
    APPROVED_REPORTED = ("approved-reported", "县级审查通过并上报，市级审查通过")  # R10
    REJECTED_BY_MUNICIPAL = ("rejected-by-municipal", "县级审查通过并上报，市级审查未通过")  # R10
    REJECTED = ("rejected", "不予兑现")  # R5, R6, R7, R20
    WITHDRAWN = ("withdrawn", "逾期未补正，视为撤回申请")  # R2, R5
    NOT_ACCEPTED = ("not-accepted", "不予受理")  # R1

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def text(self) -> str:
        return self.value[1]

    @classmethod
    def from_code(cls, code: str) -> "Outcome":
        """The outcome with this code, or ValueError naming it."""
        for outcome in cls:
            if outcome.code == code:
                return outcome
        raise ValueError(f"未知的办理结果 “{code}”")
