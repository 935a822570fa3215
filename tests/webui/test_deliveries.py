"""The window sees the notices that e-mail or SMS could not deliver (R12: the enterprise must hear)."""

from __future__ import annotations

import uuid

import pytest

from domain.applications.submission import ApplicationService
from domain.cases import CaseRef
from domain.notices.kinds import NoticeKind
from domain.notices.models import NoticeDelivery
from domain.notices.services import Addressee, NoticeService
from tests.support.policies import BUSINESS_DATE
from tests.webui.test_enterprise_pages import filed_without_case
from tests.webui.test_staff import staff

pytestmark = pytest.mark.engine  # staff log in against the engine's identity


def failed_sms(database, code: str) -> str:
    """An application whose supplement notice could not be sent by SMS; its number."""
    number = filed_without_case(database, code)
    case = CaseRef(f"pi-{uuid.uuid4().hex}", number)
    context = {"enterprise_name": "福兴科技", "policy_name": "测试", "due": BUSINESS_DATE, "missing": ["审计报告"]}
    with database.session_scope() as session:
        ApplicationService(session).record_case(number, case.process_instance_id)
        notice = NoticeService(session).record(
            case, NoticeKind.SUPPLEMENT, Addressee(code, None, "13800000000"), context, channels=["sms"]
        )
        delivery = session.query(NoticeDelivery).filter_by(notice_id=notice.id, channel="sms").one()
        delivery.status, delivery.attempts, delivery.last_error = "failed", 5, "HTTPError: 503 Server Error"
    return number


def test_the_window_lists_failed_deliveries_and_sees_them_on_the_case(app, database, engine_settings):
    code = "91350100M000100Y43"
    number = failed_sms(database, code)
    window = staff(app, "window-clerk")
    listing = window.text("/staff/deliveries")
    assert number in listing and "503 Server Error" in listing and "13800000000" in listing
    page = window.text(f"/staff/applications/{number}")
    assert "送达失败" in page and "已送达" in page  # the SMS failed, the portal inbox has it
    assert "通知与送达" not in page.split("</title>")[0]  # the section is in the page, not in its title


def test_a_department_cannot_read_the_windows_delivery_list(app, engine_settings):
    assert staff(app, "industry-reviewer").get("/staff/deliveries").status_code == 403
