"""Online cases on the real engine: filed once, followed on a timeline, supplemented, fed back, downloaded;
and never visible to another enterprise."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from sqlalchemy import select

from devstack.waiting import wait_for
from domain.applications.models import Application
from domain.audit.models import AuditEntry
from tests.support.case import CaseDriver, complete_task
from tests.webui.conftest import signed_up
from tests.webui.test_applications import PDF, files, post_application

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def number_of(answer) -> str:
    return answer.headers["Location"].rsplit("/", 1)[1]


def driver_for(number: str, admin, service, as_user, database) -> CaseDriver:
    """Drive, as staff through REST, the case the enterprise filed online."""
    case = CaseDriver(admin, service, as_user)
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == number))
        case.key, case.instance_id = number, application.process_instance_id
    return case


@pytest.fixture
def filed(enterprise, database, admin, service, as_user):
    """An application filed online for T-QUAL: (browser, credit code, number, case driver)."""
    browser, code = enterprise
    answer = post_application(browser, "T-QUAL", files())
    assert answer.status_code == 302, answer.get_data(as_text=True)
    number = number_of(answer)
    return browser, code, number, driver_for(number, admin, service, as_user, database)


def test_an_online_application_starts_its_case_with_its_number(filed, database, admin):
    browser, code, number, case = filed
    assert re.fullmatch(r"HQ-20260928-\d{4}", number)
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == number))
        assert (application.credit_code, application.channel, application.guide_version) == (code, "online", 1)
        uploads = application.uploads
        assert len(uploads) == 3
        assert all(u.sha256 == hashlib.sha256(PDF).hexdigest() for u in uploads)
        assert all(re.fullmatch(r"[0-9a-f]{32}\.pdf", u.stored_name) for u in uploads)  # never the user's name
        assert session.scalar(
            select(AuditEntry).where(AuditEntry.action == "application.submitted", AuditEntry.target == number)
        )
    instance = admin.get(f"/process-instance/{application.process_instance_id}")
    assert instance["businessKey"] == number
    # The window's checklist opens with the uploaded materials ticked.
    check = case.task("check_completeness", "window-clerk")
    assert case.variable_json("providedMaterials") == ["M01", "M02", "M03"]
    assert check.name == "受理审查"
    text = browser.text(f"/my/applications/{number}")
    assert "专窗受理审查" in text and "提交申请" in text


def test_a_double_submit_never_makes_two_applications(enterprise, database, admin):
    browser, _ = enterprise
    first = post_application(browser, "T-QUAL", files(), token="a" * 32)
    second = post_application(browser, "T-QUAL", files(), token="a" * 32)
    assert number_of(first) == number_of(second)
    with database.session_scope() as session:
        assert len(session.scalars(select(Application).where(Application.submit_token == "a" * 32)).all()) == 1
    assert len(admin.get("/history/process-instance", processInstanceBusinessKey=number_of(first))) == 1


def test_the_timeline_moves_and_the_enterprise_supplements_when_asked(filed, as_user, database):
    browser, _, number, case = filed
    # The window finds the audit report unreadable: it is not ticked, so a supplement is asked for.
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01", "M02"])
    wait_for(lambda: "<h2>补正材料</h2>" in browser.text(f"/my/applications/{number}"), "the supplement form")
    text = browser.text(f"/my/applications/{number}")
    timeline = text.split('class="timeline"')[1].split("</ol>")[0] if 'class="timeline"' in text else text[:3000]
    assert "等待企业补正材料" in timeline
    assert "近两年财务审计报告" in text.split("<h2>通知</h2>")[1].split("<h2>")[0]  # the notice names the missing item

    page = browser.text(f"/my/applications/{number}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = browser.client.post(
        f"/my/applications/{number}/supplement",
        data={"csrf_token": csrf, "material_M03": (io.BytesIO(PDF), "审计报告-清晰版.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    again = case.task("check_completeness", "window-clerk")
    assert case.variable("supplementedRound") == 1
    assert "第 1 次补正" in browser.text(f"/my/applications/{number}")
    with database.session_scope() as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "application.supplemented", AuditEntry.target == number)
        )
        assert entry.details["round"] == 1 and entry.actor_kind == "enterprise"
    complete_task(as_user("window-clerk"), again.id_, providedMaterials=["M01", "M02", "M03"])
    wait_for(lambda: "部门初步审查" in browser.text(f"/my/applications/{number}"), "the review step on the timeline")
    assert "办理时限 2026-10-10 23:59" in browser.text(f"/my/applications/{number}")


def test_the_result_letters_and_documents_download(enterprise, database, admin, service, as_user):
    browser, _ = enterprise
    answer = post_application(browser, "T-DIRECT-QUAL", files())
    number = number_of(answer)
    case = driver_for(number, admin, service, as_user, database)
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01", "M02", "M03"])
    case.complete("preliminary_review", "veterans-reviewer", preliminaryResult="qualified", preliminaryOpinion="符合")
    case.complete("decide", "veterans-reviewer", decision="approved", decisionOpinion="予以认定")
    case.complete("issue_recognition", "veterans-reviewer", recognitionTitle="关于认定的通知")
    case.complete("confirm_feedback", "window-clerk", feedbackChannel="portal", feedbackConfirmed=True)
    case.wait_ended()

    text = browser.text(f"/my/applications/{number}")
    assert "办理结果：</strong>予以认定" in text and "办结" in text
    links = re.findall(r'href="(/my/applications/[^"]+/documents/\d+\.pdf)"', text)
    assert len(links) == 2  # the recognition document and the written result notice
    for link in links:
        pdf = browser.get(link)
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    letters = re.findall(r'href="(/my/notices/\d+\.pdf)"', browser.text("/my/notices"))
    assert letters and browser.get(letters[0]).data.startswith(b"%PDF")


def test_another_enterprise_can_never_see_or_act_on_it(filed, app, database):
    browser, _, number, _case = filed
    other, _ = signed_up(app, database, "另一家企业有限公司")
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == number))
        upload_id = application.uploads[0].id
    notice_ids = re.findall(r"/my/notices/(\d+)\.pdf", browser.text("/my/notices"))
    for url in (
        f"/my/applications/{number}",
        f"/my/applications/{number}/uploads/{upload_id}",
        f"/my/applications/{number}/documents/1.pdf",
        *(f"/my/notices/{n}.pdf" for n in notice_ids),
    ):
        assert other.get(url).status_code == 404, url
    for url in (f"/my/applications/{number}/supplement", f"/my/applications/{number}/start"):
        assert other.post(url, {}, page="/my/applications").status_code == 404, url
    assert number not in other.text("/my/applications")
    assert "福兴科技" not in other.text("/my/notices")


def test_a_provisional_deadline_says_so_on_the_timeline(enterprise, database, admin, service, as_user):
    browser, _ = enterprise
    number = number_of(post_application(browser, "T-FAR", files()))  # its deadlines fall in 2098
    case = driver_for(number, admin, service, as_user, database)
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01", "M02", "M03"])
    case.task("preliminary_review", "tax-reviewer")
    text = browser.text(f"/my/applications/{number}")
    assert "办理时限 2098-06-05 23:59（暂按法定节假日计算）" in text
