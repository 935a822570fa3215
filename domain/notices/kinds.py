"""The kinds of notice: their Chinese titles, templates, and whether an enterprise receives them."""

from enum import Enum


class NoticeKind(Enum):
    SUPPLEMENT = ("补正告知", "申报材料补正告知", True)  # R2: every missing item in one notice (一次性告知)
    NOT_ACCEPTED = ("不予受理", "不予受理告知", True)  # the policy is not open for application
    CORRECTION = ("不符合条件告知", "申报材料不符合要求告知", True)  # R5: reasons, explanation, guidance
    RESULT = ("结果反馈", "办理结果反馈", True)  # R12: the window's unified feedback
    REPORTED_UPWARD = ("上报告知", "办件已上报市级主管部门告知", True)  # R10: interim notice, not silence
    FOLLOW_UP = ("跟踪提醒", "市级审查跟踪提醒", False)  # R10: to the department
    OVERDUE = ("超期预警", "办件超期预警", False)  # R18: to the department and the joint-meeting office
    SUPERVISION = ("督办意见", "超期办件督办意见", False)  # R17, R18: the joint-meeting office to the department
    DEADLINE_EXTENDED = ("延期告知", "办理期限延长告知", True)  # R11: to the enterprise and the window
    DEADLINE_MOVED = ("期限调整", "办理期限按国务院节假日安排调整", False)  # to the holders of the tasks that moved

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def subject(self) -> str:
        return self.value[1]

    @property
    def for_enterprise(self) -> bool:
        return self.value[2]

    @property
    def template(self) -> str:
        return f"notices/{self.name.lower()}.txt"
