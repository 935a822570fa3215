"""Enterprise identity (issue 11, item 5): signing up with another enterprise's public credit code shows nothing
of its cases; the window's one-time binding code decides who the account belongs to."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from sqlalchemy import select, update

from domain.audit.models import AuditEntry
from domain.cases import CaseRef
from domain.documents.services import DocumentService
from domain.enterprises.models import BindingCode
from domain.enterprises.services import EnterpriseService
from domain.notices.models import Notice
from domain.notices.services import NoticeService
from tests.webui.conftest import PASSWORD, TOKEN, Browser, new_credit_code, signed_up
from tests.webui.test_applications import PDF, files, post_application
from tests.webui.test_online_cases import number_of
from tests.webui.test_staff import staff

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]

REFUSED = "绑定码无效或已过期，请向专窗重新领取。"
NEW_PASSWORD = "real-owner-2026"
CODE = re.compile(r'class="binding-code">([0-9A-Z-]+)<')


def walk_in(clerk: Browser, credit_code: str) -> str:
    """The window files an application for T-QUAL on the enterprise's behalf; its number."""
    page = clerk.text("/staff/intake?policy=T-QUAL")
    data = {
        "csrf_token": TOKEN.search(page).group(1),
        "token": page.split('name="token" value="')[1].split('"')[0],
        "credit_code": credit_code,
        "enterprise_name": "真企业有限公司",
        "contact_name": "法定代表人",
        "phone": "13700000000",
        **files(),
    }
    answer = clerk.client.post("/staff/intake?policy=T-QUAL", data=data, content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"].rsplit("/", 1)[1]


def paperwork(database, number: str, credit_code: str) -> tuple[int, int, int]:
    """A notice to the enterprise and a recognition document on the walk-in's case: (notice, document, upload)."""
    from domain.applications.submission import ApplicationService

    with database.session_scope() as session:
        application = ApplicationService(session).by_number(number)
        case = CaseRef(application.process_instance_id, number)
        notice = Notice(
            idempotency_key=uuid.uuid4().hex, process_instance_id=case.process_instance_id, application_number=number,
            kind="受理通知", recipient=credit_code, subject="受理通知书", body="您的申报已受理。",
        )  # fmt: skip
        session.add(notice)
        documents = DocumentService(session)
        document = documents.issue(case, "recognition", "dept-industry", 2026, "认定书", "经认定，符合条件。")
        documents.store_pdf(document, PDF)
        session.flush()
        return notice.id, document.id, application.uploads[0].id


def issue_code(clerk: Browser, number: str) -> str:
    answer = clerk.post(f"/staff/applications/{number}/binding-code", page=f"/staff/applications/{number}")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "请交企业法定代表人或经办人，在网上专区“绑定企业”中使用" in text
    return CODE.search(text).group(1)


def bind(browser: Browser, credit_code: str, code: str, password: str | None = NEW_PASSWORD):
    data = {"credit_code": credit_code, "binding_code": code}
    if password:
        data |= {"password": password, "password_again": password}
    return browser.post("/account/bind", data, page="/account/bind")


def audited(database, action: str, target: str) -> int:
    with database.session_scope() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target == target))
        return len(list(rows))


def test_a_squatter_sees_nothing_of_the_walk_in_case_and_loses_the_account_to_the_code_holder(app, database):
    clerk = staff(app, "window-clerk")
    credit_code = new_credit_code()
    number = walk_in(clerk, credit_code)
    notice_id, document_id, upload_id = paperwork(database, number, credit_code)

    squatter = Browser(app.test_client())
    answer = squatter.post(
        "/account/signup",
        {"credit_code": credit_code, "name": "冒名公司", "contact_name": "李四", "phone": "13900000000",
         "password": PASSWORD, "password_again": PASSWORD},
    )  # fmt: skip
    assert answer.status_code == 302
    mine = squatter.text("/my/applications")
    assert number not in mine and "尚未绑定企业：仅显示本账户在网上提交的申报" in mine
    assert number not in squatter.text("/my/notices")
    base = f"/my/applications/{number}"
    for url in (
        base,
        f"{base}/uploads/{upload_id}",
        f"{base}/documents/{document_id}.pdf",
        f"/my/notices/{notice_id}.pdf",
    ):
        assert squatter.get(url).status_code in (403, 404), url
    for url in (f"{base}/supplement", f"{base}/start"):
        data = files(codes=("M03",)) if "supplement" in url else {}
        answer = squatter.post(url, data, page="/my/applications", content_type="multipart/form-data")
        assert answer.status_code in (403, 404), url
    stolen = squatter.client.get_cookie("session").value

    code = issue_code(clerk, number)
    assert audited(database, "enterprise.binding_code_issued", credit_code) == 1
    owner = Browser(app.test_client())
    answer = bind(owner, credit_code, code)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/my/applications")
    assert number in owner.text("/my/applications") and "尚未绑定企业" not in owner.text("/my/applications")
    assert "受理通知书" in owner.text(base) and owner.get(f"/my/notices/{notice_id}.pdf").status_code == 200
    assert owner.get(f"{base}/documents/{document_id}.pdf").status_code == 200
    with owner.get(f"{base}/uploads/{upload_id}") as download:
        assert download.status_code == 200

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    answer = replay.get("/my/applications")
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]
    assert squatter.get(base).status_code == 302  # the squatter's own browser is logged out too
    again = Browser(app.test_client())
    assert again.post("/account/login", {"credit_code": credit_code, "password": PASSWORD}).status_code == 401
    assert again.post("/account/login", {"credit_code": credit_code, "password": NEW_PASSWORD}).status_code == 302
    assert audited(database, "enterprise.bound", credit_code) == 1


def test_wrong_reused_and_expired_codes_are_refused_audited_and_limited(app, database):
    clerk = staff(app, "window-clerk")
    credit_code = new_credit_code()
    number = walk_in(clerk, credit_code)
    owner = Browser(app.test_client())
    owner.client.environ_base["REMOTE_ADDR"] = "10.77.0.1"

    answer = bind(owner, credit_code, "ABCD-EFGH-JKMN")  # wrong
    assert answer.status_code == 400 and REFUSED in answer.get_data(as_text=True)
    used = issue_code(clerk, number)
    with database.session_scope() as session:  # no account yet: the walk-in's enterprise signs up with the code
        assert EnterpriseService(session).by_credit_code(credit_code) is None
    answer = owner.post(
        "/account/signup",
        {"credit_code": credit_code, "name": "真企业有限公司", "contact_name": "法定代表人", "phone": "13700000000",
         "binding_code": used, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )  # fmt: skip
    assert answer.status_code == 302 and number in owner.text("/my/applications")
    answer = bind(Browser(_client(app, "10.77.0.1")), credit_code, used)  # reused
    assert answer.status_code == 400 and REFUSED in answer.get_data(as_text=True)
    expired = issue_code(clerk, number)
    with database.session_scope() as session:
        session.execute(
            update(BindingCode)
            .where(BindingCode.credit_code == credit_code, BindingCode.used_at.is_(None))
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    answer = bind(Browser(_client(app, "10.77.0.1")), credit_code, expired)
    assert answer.status_code == 400 and REFUSED in answer.get_data(as_text=True)
    assert audited(database, "enterprise.binding_refused", credit_code) == 3

    fresh = issue_code(clerk, number)
    stranger = Browser(_client(app, "10.77.0.1"))
    assert bind(stranger, credit_code, "ABCD-EFGH-JKMP").status_code == 400
    assert bind(stranger, credit_code, "ABCD-EFGH-JKMQ").status_code == 400  # the fifth failure from this address
    assert bind(stranger, credit_code, fresh).status_code == 429  # even the right code: the address is held up
    assert bind(Browser(_client(app, "10.77.0.2")), credit_code, fresh).status_code == 302  # another address is not


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_unbound_account_still_sees_what_it_filed_online(app, database):
    browser, credit_code = signed_up(app, database, "自己申报有限公司")
    answer = post_application(browser, "T-QUAL", files())
    assert answer.status_code == 302, answer.get_data(as_text=True)
    number = number_of(answer)
    assert number in browser.text("/my/applications")
    assert browser.get(f"/my/applications/{number}").status_code == 200
    with database.session_scope() as session:
        account = EnterpriseService(session).by_credit_code(credit_code)
        assert account.bound_at is None
        assert [n.application_number for n in NoticeService(session).inbox(credit_code)] in ([], [number])


def test_in_production_sign_up_needs_the_binding_code(app, monkeypatch):
    monkeypatch.setattr("webui.account.sign_up_needs_binding_code", lambda settings: True)
    browser = Browser(app.test_client())
    assert "企业绑定码（必填" in browser.text("/account/signup")
    credit_code = new_credit_code()
    answer = browser.post(
        "/account/signup",
        {"credit_code": credit_code, "name": "冒名公司", "contact_name": "李四", "phone": "13900000000",
         "password": PASSWORD, "password_again": PASSWORD},
    )  # fmt: skip
    assert answer.status_code == 400 and "请填写专窗发放的企业绑定码" in answer.get_data(as_text=True)
    assert browser.get("/my/applications").status_code == 302  # no account, no login
