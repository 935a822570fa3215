"""The kinds of notice and their Chinese titles."""

from enum import Enum


class NoticeKind(Enum):
    SUPPLEMENT = "补正告知"  # R2: one notice listing every missing item (一次性告知)
    NOT_ACCEPTED = "不予受理"  # the policy is not open for application
    CORRECTION = "不符合条件告知"  # R5: reasons, policy explanation, guidance
    RESULT = "结果反馈"  # R12: the window's unified feedback
    FOLLOW_UP = "跟踪提醒"  # R10: remind the department to follow up the municipal review
    OVERDUE = "超期预警"  # R18: to the department lead and the joint-meeting office
