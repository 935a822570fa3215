"""The staff inbox (R10, R18): notices to a department's group reach its staff, never another group's."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.cases import CaseRef
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from tests.webui.test_staff import staff

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_settings")]

OVERDUE = {
    "enterprise_name": "福兴科技有限公司", "task_name": "初步审查",
    "unit_name": "县工信局", "due": dt.date(2026, 10, 16),
}


def write(database, group: str) -> tuple[int, str]:
    number = f"HQ-INBOX-{uuid.uuid4().hex[:8]}"
    with database.session_scope() as session:
        case = CaseRef(f"pi-{number}", number)
        notice = NoticeService(session).record(case, NoticeKind.OVERDUE, Addressee(group), OVERDUE)
        return notice.id, number


def test_a_department_reads_its_own_notices_and_never_another_groups(app, database):
    own_id, own_number = write(database, "dept-industry")
    other_id, other_number = write(database, "dept-science")

    reviewer = staff(app, "industry-reviewer")
    home = reviewer.get("/staff/").get_data(as_text=True)
    assert "部门通知" in home and 'id="inbox-count"' in home
    page = reviewer.get("/staff/inbox").get_data(as_text=True)
    assert own_number in page and "办件超期预警" in page and "已超期" in page
    assert other_number not in page
    letter = reviewer.get(f"/staff/inbox/{own_id}.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")
    assert reviewer.get(f"/staff/inbox/{other_id}.pdf").status_code == 404

    science = staff(app, "science-reviewer")
    page = science.get("/staff/inbox").get_data(as_text=True)
    assert other_number in page and own_number not in page
    assert science.get(f"/staff/inbox/{own_id}.pdf").status_code == 404


def test_the_inbox_is_for_staff_only(client):
    answer = client.get("/staff/inbox")
    assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
