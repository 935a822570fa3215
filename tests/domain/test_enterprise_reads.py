"""What the web UI reads through services: an enterprise's own notices and documents, templates, announcements."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.cases import CaseRef
from domain.documents.services import DocumentService
from domain.fulfilment.announcements import AnnouncementService, RaisedObjection, objections_open
from domain.fulfilment.models import Announcement, Objection
from domain.notices.models import Notice
from domain.notices.services import NoticeService
from domain.policies.models import Policy, PolicyKind, PolicyLevel, PolicyMaterial
from domain.policies.services import PolicyService, TemplateRejected, template_type

ENTERPRISE = "91350100M000100Y43"
OTHER = "91350100M000200Y11"
PDF = b"%PDF-1.4\n%%EOF\n"


def notice(session, number: str, recipient: str, subject: str, case: str | None = None) -> Notice:
    row = Notice(
        idempotency_key=uuid.uuid4().hex,
        process_instance_id=case or f"pi-{number}",
        application_number=number,
        kind="补正告知",
        recipient=recipient,
        subject=subject,
        body="正文",
    )
    session.add(row)
    session.flush()
    return row


def test_an_enterprise_sees_only_the_notices_addressed_to_it(db_session):
    number = f"HQ-{uuid.uuid4().hex[:8]}"
    first = notice(db_session, number, ENTERPRISE, "补正告知")
    notice(db_session, number, "dept-industry", "转办通知")  # same case, to the department
    second = notice(db_session, number, ENTERPRISE, "结果反馈")
    elsewhere = notice(db_session, f"{number}-X", ENTERPRISE, "另一申报")
    notice(db_session, number, ENTERPRISE, "同号的另一办件", case=f"pi-other-{number}")  # a number is only a label
    notices = NoticeService(db_session)

    assert [n.id for n in notices.for_enterprise(f"pi-{number}", ENTERPRISE)] == [first.id, second.id]
    assert notices.for_enterprise(f"pi-{number}", OTHER) == []
    assert notices.for_enterprise(None, ENTERPRISE) == []
    inbox = [n.id for n in notices.inbox(ENTERPRISE)]
    assert inbox[1:4] == [elsewhere.id, second.id, first.id]  # newest first, never the department's
    assert all(n.recipient == ENTERPRISE for n in notices.inbox(ENTERPRISE))


def test_one_notice_is_found_only_by_its_recipient(db_session):
    number = f"HQ-{uuid.uuid4().hex[:8]}"
    mine = notice(db_session, number, ENTERPRISE, "补正告知")
    theirs = notice(db_session, number, "dept-industry", "转办通知")
    notices = NoticeService(db_session)
    assert notices.addressed_to(mine.id, ENTERPRISE).id == mine.id
    assert notices.addressed_to(mine.id, OTHER) is None
    assert notices.addressed_to(theirs.id, ENTERPRISE) is None
    assert notices.addressed_to(10**9, ENTERPRISE) is None


def test_the_enterprise_downloads_only_its_recognition_and_result_notice(db_session):
    number = f"HQ-{uuid.uuid4().hex[:8]}"
    case = CaseRef(f"pi-{number}", number)
    service = DocumentService(db_session)
    recognition = service.issue(case, "recognition", "dept-science", 2032, "认定通知", "正文")
    payment = service.issue(case, "payment_order", "finance-bureau", 2032, "拨付通知", "正文")
    result = service.issue(case, "result_notice", "window", 2032, "结果通知", "正文")
    service.store_pdf(recognition, PDF)
    service.store_pdf(payment, PDF)

    twin = service.issue(CaseRef(f"pi-twin-{number}", number), "recognition", "dept-science", 2032, "认定通知", "正文")
    service.store_pdf(twin, PDF)

    assert [d.id for d in service.for_enterprise(case.process_instance_id)] == [recognition.id, result.id]
    assert service.enterprise_pdf(case.process_instance_id, recognition.id).pdf == PDF
    assert service.enterprise_pdf(case.process_instance_id, result.id) is None  # no PDF laid out yet
    assert service.enterprise_pdf(case.process_instance_id, payment.id) is None  # not the enterprise's to download
    assert service.enterprise_pdf(case.process_instance_id, twin.id) is None  # same number, another case
    assert service.enterprise_pdf(None, recognition.id) is None  # a case not started has no documents


def policy_with_material(session, code: str, published: bool = True) -> Policy:
    policy = Policy(
        code=code,
        name="测试政策",
        department_group="dept-tax",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        published=published,
    )
    policy.materials = [PolicyMaterial(code="M01", name="申请表", position=1)]
    return PolicyService(session).add(policy)


def test_a_template_is_kept_by_its_content_and_served_while_published(db_session):
    policy_with_material(db_session, "TPL-1")
    policies = PolicyService(db_session)
    assert policies.department_material("TPL-1", "dept-science", "M01") is None  # another department's policy
    item = policies.department_material("TPL-1", "dept-tax", "M01")
    assert policies.material_template("tpl-1", "M01") is None  # no template yet

    with pytest.raises(TemplateRejected, match="请选择模板文件"):
        policies.attach_template(item, None, 1024)
    with pytest.raises(TemplateRejected, match="太大"):
        policies.attach_template(item, PDF + b"0" * 2048, 1024)
    with pytest.raises(TemplateRejected, match="PDF 或 Word"):
        policies.attach_template(item, b"plain text", 1024)
    policies.attach_template(item, PDF, 1024)

    served = policies.material_template("tpl-1", "M01")
    assert (served.template, served.template_filename, served.template_content_type) == (
        PDF,
        "申请表.pdf",
        "application/pdf",
    )
    assert policies.material_template("TPL-1", "M02") is None
    policy_with_material(db_session, "TPL-DRAFT", published=False)
    policies.attach_template(policies.department_material("TPL-DRAFT", "dept-tax", "M01"), PDF, 1024)
    assert policies.material_template("TPL-DRAFT", "M01") is None  # unpublished: not served


def test_template_types_are_judged_by_content():
    assert template_type(b"%PDF-1.7") == "application/pdf"
    assert template_type(b"PK\x03\x04....word/document.xml") == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert template_type(b"\xd0\xcf\x11\xe0....") == "application/msword"
    with pytest.raises(TemplateRejected):
        template_type(b"PK\x03\x04 a zip, not a Word file")


def test_announcements_are_read_and_objections_recorded(db_session):
    now = dt.datetime(2032, 5, 10, 9, tzinfo=dt.UTC)
    number = f"HQ-{uuid.uuid4().hex[:8]}"
    announcement = Announcement(
        process_instance_id=f"pi-{number}",
        idempotency_key=uuid.uuid4().hex,
        application_number=number,
        title="公示",
        body="正文",
        published_at=now,
        objection_period_ends=now + dt.timedelta(days=5),
    )
    db_session.add(announcement)
    db_session.flush()
    service = AnnouncementService(db_session)

    assert service.recent()[0].id == announcement.id
    assert service.get(announcement.id).application_number == number
    assert service.get(10**9) is None
    assert objections_open(announcement, now + dt.timedelta(days=5))
    assert not objections_open(announcement, now + dt.timedelta(days=5, seconds=1))
    assert not RaisedObjection("知情人", "", "虚报").complete

    recorded = service.record_objection(announcement, RaisedObjection("知情人", "13700000000", "虚报"))
    assert db_session.get(Objection, recorded.id).application_number == number
