"""The staff inbox (R10, R18): a member sees the notices of their own groups, newest first, never another's."""

from __future__ import annotations

import datetime as dt

from domain.cases import CaseRef
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService

OVERDUE = {
    "enterprise_name": "福兴科技有限公司",
    "task_name": "初步审查",
    "unit_name": "县工信局",
    "due": dt.date(2026, 10, 16),
}
FOLLOW_UP = {
    "enterprise_name": "福兴科技有限公司",
    "policy_name": "专精特新奖励",
    "municipal_department": "市工信局",
    "count": 1,
}


def test_a_member_sees_only_the_notices_of_their_own_groups_newest_first(db_session):
    service = NoticeService(db_session)
    case = CaseRef("pi-staff-1", "HQ-20261001-0001")
    other = CaseRef("pi-staff-2", "HQ-20261001-0002")
    warning = service.record(case, NoticeKind.OVERDUE, Addressee("dept-industry"), OVERDUE)
    reminder = service.record(case, NoticeKind.FOLLOW_UP, Addressee("dept-industry"), FOLLOW_UP)
    science = service.record(other, NoticeKind.OVERDUE, Addressee("dept-science"), OVERDUE)
    office = service.record(other, NoticeKind.FOLLOW_UP, Addressee("joint-meeting-office"), FOLLOW_UP)
    enterprise = service.record(case, NoticeKind.SUPPLEMENT, Addressee("91350100M000100Y43"), {
        "enterprise_name": "福兴科技有限公司", "policy_name": "x", "due": dt.date(2026, 10, 16), "missing": ["a"],
    })

    ours = {warning.id, reminder.id, science.id, office.id, enterprise.id}  # the database is shared with other tests
    before = service.staff_inbox_count(["dept-industry"])
    industry = [n for n in service.staff_inbox(["dept-industry"]) if n.id in ours]
    assert [n.id for n in industry] == [reminder.id, warning.id]
    assert before >= 2
    assert [n.id for n in service.staff_inbox(["dept-industry", "joint-meeting-office"]) if n.id in ours] == [
        office.id, reminder.id, warning.id,
    ]
    assert science.id not in [n.id for n in industry] and enterprise.id not in [n.id for n in industry]
    assert service.addressed_to_groups(warning.id, ["dept-industry"]).id == warning.id
    assert service.addressed_to_groups(science.id, ["dept-industry"]) is None
    assert service.addressed_to_groups(enterprise.id, ["dept-industry"]) is None


def test_a_member_without_groups_sees_nothing(db_session):
    service = NoticeService(db_session)
    service.record(CaseRef("pi-staff-3", "HQ-20261001-0003"), NoticeKind.OVERDUE, Addressee("dept-industry"), OVERDUE)
    assert service.staff_inbox_count(["dept-industry"]) >= 1
    assert service.staff_inbox([]) == [] and service.staff_inbox_count([]) == 0
    assert service.addressed_to_groups(1, []) is None
