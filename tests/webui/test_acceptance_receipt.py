"""The window's 受理回执 (R1, R2, R16; issue 11, item 5): a PDF the clerk prints for an application, stating what was
received and the time limits that run (R3–R12), with a fresh one-time 企业绑定码 that binds the enterprise's account.

Driven as the real demo users through the web UI's pages: the window clerk files a walk-in application, prints the
receipt, and the enterprise binds a new account with the code it reads on the paper."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import MetaData, select

from domain.audit.models import AuditEntry
from domain.enterprises import binding
from domain.enterprises.models import BindingCode
from tests.webui.conftest import PASSWORD, TOKEN, Browser, new_credit_code
from tests.webui.test_applications import files
from tests.webui.test_staff import staff
from webui.context import resources

# Staff log in against the real engine; the receipt itself needs no worker.
pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_settings")]

ENTERPRISE = "回执测试机械有限公司"
BUTTON = "打印受理回执（含企业绑定码）"
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")
REFUSED = "绑定码无效或已过期，请向专窗重新领取。"


def walk_in(clerk: Browser, credit_code: str) -> str:
    """The window files a T-QUAL application (site inspection, county recognition) for a walk-in; its number."""
    page = clerk.text("/staff/intake?policy=T-QUAL")
    data = {
        "csrf_token": TOKEN.search(page).group(1),
        "token": page.split('name="token" value="')[1].split('"')[0],
        "credit_code": credit_code,
        "enterprise_name": ENTERPRISE,
        "contact_name": "法定代表人",
        "phone": "13700000000",
        **files(),
    }
    answer = clerk.client.post("/staff/intake?policy=T-QUAL", data=data, content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"].rsplit("/", 1)[1]


def print_receipt(clerk: Browser, number: str):
    """Press the button on the application's page, as the clerk does."""
    page = f"/staff/applications/{number}"
    assert BUTTON in clerk.text(page)
    return clerk.post(f"{page}/acceptance-receipt", page=page)


def receipt_text(answer) -> str:
    """The receipt's text, read back from the PDF it answered with."""
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/pdf" and answer.data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)


def code_on(text: str) -> str:
    codes = CODE.findall(text)
    assert len(codes) == 1, codes
    return codes[0]


def new_account(app, credit_code: str) -> Browser:
    """A new enterprise account signed up with the walk-in's public credit code (unbound: sees nothing of it)."""
    browser = Browser(app.test_client())
    answer = browser.post(
        "/account/signup",
        {"credit_code": credit_code, "name": ENTERPRISE, "contact_name": "法定代表人", "phone": "13700000000",
         "password": PASSWORD, "password_again": PASSWORD},
    )  # fmt: skip
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser


def bind(browser: Browser, credit_code: str, code: str):
    return browser.post("/account/bind", {"credit_code": credit_code, "binding_code": code}, page="/account/bind")


def codes_issued(database, credit_code: str) -> int:
    with database.session_scope() as session:
        return len(list(session.scalars(select(BindingCode).where(BindingCode.credit_code == credit_code))))


def test_the_window_prints_the_receipt_and_its_code_binds_a_new_account(app, database):
    clerk = staff(app, "window-clerk")
    credit_code = new_credit_code()
    number = walk_in(clerk, credit_code)

    answer = print_receipt(clerk, number)
    text = receipt_text(answer)
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("inline;") and number in disposition
    assert answer.headers["Cache-Control"] == "no-store"
    for expected in (
        "受理回执", "惠企政策兑现“一门式”服务", number, ENTERPRISE, credit_code,
        "测试：县级资质认定（现场核查）", "T-QUAL", "县工信局", "专窗代办",
        "惠企政策兑现申请表", "营业执照副本复印件", "近两年财务审计报告", "已收材料（共 3 份）",
        "县行政服务中心惠企政策兑现专窗", "网上专区 › 绑定企业", "/account/bind",
    ):  # fmt: skip
        assert expected in text, expected
    limits = text[text.index("办理时限") : text.index("企业绑定码")]
    for step, days, rule in (
        ("专窗受理审查", 1, "R1、R2"),
        ("分流转办至主管部门", 1, "R3"),
        ("主管部门初步审查", 3, "R4"),
        ("现场核查并作出审查结果", 20, "R6"),  # T-QUAL needs a site inspection
        ("审查通过后下发认定文件", 3, "R8"),  # a county qualification: recognition document
        ("专窗统一反馈办理结果", 1, "R12"),
    ):
        assert step in limits and rule in limits, step
        assert f"{days} 个工作日" in limits
    code = code_on(text)
    with database.session_scope() as session:
        issued = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "enterprise.binding_code_issued", AuditEntry.target == credit_code
            )
        ).one()
        assert (issued.actor, issued.details["document"], issued.details["application_number"]) == (
            "window-clerk", "acceptance_receipt", number,
        )  # fmt: skip

    owner = new_account(app, credit_code)
    assert number not in owner.text("/my/applications")  # unbound: what it filed online only
    answer = bind(owner, credit_code, code)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/my/applications")
    mine = owner.text("/my/applications")
    assert number in mine and "尚未绑定企业" not in mine


def test_the_code_lives_only_on_the_paper(app, database):
    clerk = staff(app, "window-clerk")
    credit_code = new_credit_code()
    number = walk_in(clerk, credit_code)
    code = code_on(receipt_text(print_receipt(clerk, number)))
    compact = binding.normalise_code(code)

    with database.session_scope() as session:
        row = session.scalars(select(BindingCode).where(BindingCode.credit_code == credit_code)).one()
        assert row.code_hash == binding.code_hash(code) and row.used_at is None
    metadata = MetaData()
    metadata.reflect(database.engine)
    with database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for record in connection.execute(table.select()):
                for value in record:
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    assert code.encode() not in raw and compact.encode() not in raw, table.name
    with app.app_context():
        var_dir = resources().settings.var_dir  # the sessions on the server, the uploads
    for path in (p for p in var_dir.rglob("*") if p.is_file()):
        content = path.read_bytes()
        assert code.encode() not in content and compact.encode() not in content, path


def test_a_second_print_issues_a_new_code_and_the_first_no_longer_binds(app, database):
    clerk = staff(app, "window-clerk")
    credit_code = new_credit_code()
    number = walk_in(clerk, credit_code)
    first = code_on(receipt_text(print_receipt(clerk, number)))
    second = code_on(receipt_text(print_receipt(clerk, number)))
    assert first != second and codes_issued(database, credit_code) == 2

    owner = new_account(app, credit_code)
    answer = bind(owner, credit_code, first)
    assert answer.status_code == 400 and REFUSED in answer.get_data(as_text=True)
    assert number not in owner.text("/my/applications")
    assert bind(owner, credit_code, second).status_code == 302
    assert number in owner.text("/my/applications")


def test_only_the_window_prints_a_receipt_and_a_refusal_issues_nothing(app, database):
    clerk = staff(app, "window-clerk")
    credit_code = new_credit_code()
    number = walk_in(clerk, credit_code)
    url = f"/staff/applications/{number}/acceptance-receipt"

    reviewer = staff(app, "industry-reviewer")  # the department that will review this very case
    assert reviewer.post(url, page="/staff/policies").status_code == 403
    enterprise = new_account(app, credit_code)
    answer = enterprise.post(url, page="/my/applications")
    assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
    stranger = Browser(app.test_client())
    answer = stranger.post(url, page="/account/login")
    assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
    assert clerk.client.post(url).status_code == 400  # no CSRF token: refused before anything happens
    unknown = "/staff/applications/HQ-19990101-9999/acceptance-receipt"
    assert clerk.post(unknown, page="/staff/applications").status_code == 404
    assert codes_issued(database, credit_code) == 0

    assert print_receipt(clerk, number).status_code == 200
    assert codes_issued(database, credit_code) == 1
