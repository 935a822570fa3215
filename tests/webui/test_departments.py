"""The joint-meeting office keeps each department's lead section and liaison through its page (R14); nobody else."""

from __future__ import annotations

import re

import pytest

from domain.audit.services import trail
from domain.departments.contacts import CONTACT_UNITS, DepartmentContacts
from tests.webui.conftest import Browser
from tests.webui.test_staff import staff

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_settings")]

GROUP = "dept-water-supply"  # 县供水公司: no demo contact, no test policy, so no other test reads it
PAGE = f"/staff/departments/{GROUP}"
GOOD = {
    "lead_section": "客户服务科",
    "liaison_name": "周八",
    "liaison_phone": "（0591）87650001",
    "liaison_email": "zhouba@example.gov.cn",
}


def form_of(browser: Browser, url: str = PAGE) -> dict[str, str]:
    """The page's hidden fields (CSRF token, version), as a browser would send them back."""
    page = browser.text(url)
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page))


def submit(browser: Browser, values: dict[str, str], url: str = PAGE):
    return browser.client.post(url, data={**form_of(browser, url), **values})


def recorded(database):
    with database.session_scope() as session:
        contact = DepartmentContacts(session).get(GROUP)
        if contact is None:
            return None
        session.expunge(contact)
        return contact


def test_the_office_finds_the_page_on_its_home_and_sees_every_department(app):
    office = staff(app, "joint-office")
    assert "/staff/departments" in office.text("/staff/") and "部门牵头科室与联络员" in office.text("/staff/")
    listing = office.text("/staff/departments")
    for unit in CONTACT_UNITS:
        assert unit.name in listing and f'href="/staff/departments/{unit.group_id}"' in listing
    industry = listing.split('id="dept-industry"', 1)[1].split("</tr>", 1)[0]
    assert "中小企业股" in industry and "0591-12340202" in industry  # the demo contact
    assert "尚未登记" in listing  # the departments without one


def test_the_office_records_and_changes_a_contact_through_the_page(app, database):
    office = staff(app, "joint-office")
    before = recorded(database)
    answer = submit(office, GOOD)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/staff/departments")
    contact = recorded(database)
    assert (contact.lead_section, contact.liaison_name, contact.liaison_phone, contact.liaison_email) == (
        "客户服务科", "周八", "0591-87650001", "zhouba@example.gov.cn",
    )
    assert contact.updated_by == "joint-office" and contact.version == (before.version + 1 if before else 1)
    listing = office.text("/staff/departments")
    assert "已保存县供水公司的牵头科室与联络员" in listing and "0591-87650001" in listing
    edit = office.text(PAGE)
    assert 'value="客户服务科"' in edit and 'value="zhouba@example.gov.cn"' in edit

    answer = submit(office, {**GOOD, "liaison_name": "吴九", "liaison_phone": "13900001111"})
    assert answer.status_code == 302
    assert (recorded(database).liaison_name, recorded(database).liaison_phone) == ("吴九", "13900001111")
    with database.session_scope() as session:
        entries = [e for e in trail(session, GROUP) if e.action == "department.contact_updated"]
        assert entries[-1].actor == "joint-office" and entries[-1].address == "127.0.0.1"
        assert entries[-1].details["before"]["liaison_name"] == "周八"
        assert entries[-1].details["after"]["liaison_name"] == "吴九"

    answer = submit(office, {**GOOD, "liaison_name": "吴九", "liaison_phone": "139-0000-1111"})  # the same
    assert answer.status_code == 302 and "内容没有变化" in office.text("/staff/departments")


def test_bad_details_are_refused_with_every_problem_named_and_nothing_written(app, database):
    office = staff(app, "joint-office")
    submit(office, GOOD)
    before = recorded(database)
    bad = {
        "lead_section": "科" * 41,
        "liaison_name": "",
        "liaison_phone": "12345678",
        "liaison_email": "zhouba@example",
    }
    answer = submit(office, bad)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    for problem in ("牵头科室最多 40 个字", "请填写联络员姓名", "联络员电话 “12345678” 无效", "格式不正确"):
        assert problem in page, problem
    assert 'value="12345678"' in page  # what was typed stays on the page to correct
    after = recorded(database)
    assert (after.version, after.liaison_phone, after.liaison_email) == (
        before.version, before.liaison_phone, before.liaison_email,
    )


def test_a_page_opened_before_someone_elses_change_is_refused(app, database):
    office = staff(app, "joint-office")
    submit(office, GOOD)
    stale = form_of(office)
    assert submit(office, {**GOOD, "liaison_name": "郑十"}).status_code == 302
    answer = office.client.post(PAGE, data={**stale, **GOOD, "liaison_name": "冯十一"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(PAGE)
    assert "刚被他人修改" in office.text(PAGE)
    assert recorded(database).liaison_name == "郑十"


@pytest.mark.parametrize("version", ["", "abc", "-1", "1" * 10, "１"])
def test_a_forged_version_is_refused(app, database, version):
    office = staff(app, "joint-office")
    before = recorded(database)
    answer = office.client.post(PAGE, data={**form_of(office), **GOOD, "liaison_name": "伪造", "version": version})
    assert answer.status_code == 400 and "请重新打开此页" in answer.get_data(as_text=True)
    after = recorded(database)
    assert (after.version if after else None) == (before.version if before else None)


def test_a_form_without_its_csrf_token_is_refused(app, database):
    office = staff(app, "joint-office")
    before = recorded(database)
    answer = office.client.post(PAGE, data={**GOOD, "version": form_of(office)["version"], "liaison_name": "无令牌"})
    assert answer.status_code == 400
    after = recorded(database)
    assert (after.liaison_name if after else None) == (before.liaison_name if before else None)


@pytest.mark.parametrize("group", ["dept-nowhere", "joint-meeting-office", "window", "managers"])
def test_a_missing_department_is_not_found(app, group):
    office = staff(app, "joint-office")
    assert office.get(f"/staff/departments/{group}").status_code == 404
    token = form_of(office)["csrf_token"]
    answer = office.client.post(f"/staff/departments/{group}", data={**GOOD, "version": "0", "csrf_token": token})
    assert answer.status_code == 404


@pytest.mark.parametrize("user", ["industry-reviewer", "finance-clerk", "window-clerk", "manager", "expert-1"])
def test_other_staff_are_forbidden(app, database, user):
    member = staff(app, user)
    assert "/staff/departments" not in member.text("/staff/")
    assert member.get("/staff/departments").status_code == 403
    assert member.get(PAGE).status_code == 403
    assert member.get("/staff/departments/dept-industry").status_code == 403  # their own department too
    before = recorded(database)
    token = re.search(r'name="csrf_token" value="([^"]+)"', member.text("/staff/")).group(1)
    answer = member.client.post(PAGE, data={**GOOD, "liaison_name": user[:20], "version": "0", "csrf_token": token})
    assert answer.status_code == 403
    after = recorded(database)
    assert (after.liaison_name if after else None) == (before.liaison_name if before else None)


def test_strangers_and_enterprises_are_sent_to_the_staff_login(client, enterprise):
    enterprise_browser, _ = enterprise
    for browser, page in ((Browser(client), "/account/login"), (enterprise_browser, "/")):
        for url in ("/staff/departments", PAGE):
            answer = browser.get(url)
            assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"], url
        answer = browser.post(PAGE, {**GOOD, "version": "0"}, page=page)  # the session's own token: still no staff
        assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
