"""An enterprise's notices are chosen by the service, not by the page; templates are kept through the service."""

from __future__ import annotations

import io
import re
import uuid

import pytest

from domain.applications.storage import StoredFile
from domain.applications.submission import ApplicantDetails, ApplicationService, MaterialFile, Submission
from domain.cases import CaseRef
from domain.enterprises.services import EnterpriseService
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from domain.policies.models import Policy, PolicyKind, PolicyLevel, PolicyMaterial
from domain.policies.services import PolicyService
from tests.support.policies import BUSINESS_DATE
from tests.webui.conftest import signed_up
from tests.webui.test_staff import staff

PDF = b"%PDF-1.4\n%%EOF\n"


def filed_without_case(database, credit_code: str) -> str:
    """An application this enterprise's account filed online, whose case has not started (no engine is asked)."""
    files = [
        MaterialFile(code, f"{code}.pdf", StoredFile(uuid.uuid4().hex + ".pdf", "application/pdf", 10, "0" * 64))
        for code in ("M01", "M02", "M03")
    ]
    with database.session_scope() as session:
        policy = PolicyService(session).get_published("T-QUAL")
        applicant = ApplicantDetails(credit_code, "福兴科技有限公司", "张三", "13800000000")
        account = EnterpriseService(session).by_credit_code(credit_code)
        application, _ = ApplicationService(session).submit(
            Submission(policy, applicant, files), uuid.uuid4().hex, "online", credit_code, BUSINESS_DATE,
            filed_by_enterprise_id=account.id if account else None,
        )  # fmt: skip
        return application.number


def test_only_the_notices_addressed_to_the_enterprise_are_shown(app, database, enterprise):
    browser, code = enterprise
    number = filed_without_case(database, code)
    case = CaseRef(f"pi-{number}", number)
    facts = {"enterprise_name": "福兴科技有限公司", "policy_name": "测试"}
    with database.session_scope() as session:
        ApplicationService(session).record_case(number, case.process_instance_id)  # notices belong to the case
        notices = NoticeService(session)
        mine = notices.record(
            case, NoticeKind.SUPPLEMENT, Addressee(code), {**facts, "due": BUSINESS_DATE, "missing": ["审计报告"]}
        ).id
        follow_up = {**facts, "municipal_department": "市工信局", "count": 1}
        theirs = notices.record(case, NoticeKind.FOLLOW_UP, Addressee("dept-industry"), follow_up).id  # to the dept

    page = browser.text(f"/my/applications/{number}")
    section = page.split("<h2>通知</h2>")[1].split("<h2>")[0]
    assert f"/my/notices/{mine}.pdf" in section and f"/my/notices/{theirs}.pdf" not in section
    inbox = browser.text("/my/notices")
    assert f"/my/notices/{mine}.pdf" in inbox and f"/my/notices/{theirs}.pdf" not in inbox

    assert browser.get(f"/my/notices/{mine}.pdf").data.startswith(b"%PDF")
    assert browser.get(f"/my/notices/{theirs}.pdf").status_code == 404  # the department's, on its own case
    other, _ = signed_up(app, database, "另一家企业有限公司")
    assert other.get(f"/my/notices/{mine}.pdf").status_code == 404  # another enterprise's
    assert f"/my/notices/{mine}.pdf" not in other.text("/my/notices")
    assert other.get(f"/my/applications/{number}").status_code == 404


@pytest.mark.engine
@pytest.mark.usefixtures("engine_settings")
def test_a_department_uploads_a_template_judged_by_its_content(app, database):
    code = f"KJ-TPL-{uuid.uuid4().hex[:6].upper()}"
    with database.session_scope() as session:
        policy = Policy(
            code=code,
            name="测试：模板",
            department_group="dept-science",
            kind=PolicyKind.FUNDING,
            level=PolicyLevel.COUNTY,
        )
        policy.materials = [PolicyMaterial(code="M01", name="申请表", position=1)]
        PolicyService(session).add(policy)
    url = f"/staff/policies/{code}/materials/M01/template"

    tax = staff(app, "tax-reviewer")
    assert tax.post(url, {"template": (io.BytesIO(PDF), "申请表.pdf")}, page="/staff/policies").status_code == 404
    reviewer = staff(app, "science-reviewer")
    refused = reviewer.post(
        url, {"template": (io.BytesIO(b"plain text"), "申请表.pdf")}, page="/staff/policies", follow_redirects=True
    )
    assert "模板只接受 PDF 或 Word 文件" in refused.get_data(as_text=True)
    assert app.test_client().get(f"/policies/{code}/materials/M01/template").status_code == 404

    answer = reviewer.post(url, {"template": (io.BytesIO(PDF), "whatever.bin")}, page="/staff/policies")
    assert answer.status_code == 302
    download = app.test_client().get(f"/policies/{code}/materials/M01/template")
    assert download.status_code == 200 and download.data == PDF
    assert re.search(r"filename\*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8\.pdf", download.headers["Content-Disposition"])
