"""The 申报指南 page names whom to ask (R14): the department's lead section and liaison, or 联系方式待公布."""

from __future__ import annotations

import re

from domain.departments.contacts import ContactDetails, DepartmentContacts
from domain.departments.models import DepartmentContact


def liaison_card(page: str) -> str:
    """The text of the 咨询联系 card, tags dropped."""
    card = page.split('id="liaison"', 1)[1].split("</div>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))


def test_the_guide_shows_the_departments_lead_section_and_liaison(browser):
    page = browser.text("/policies/KJ-2026-001")  # 县科技局: its demo contact is seeded with the demo policies
    assert "<h2>咨询联系</h2>" in page
    card = liaison_card(page)
    for expected in (
        "县科技局",
        "牵头科室 高新技术股",
        "联络员 林一帆",
        "电话 0591-12340101",
        "邮箱 gaoxin.kjj@example.gov.cn",
    ):
        assert expected in card, (expected, card)
    assert 'href="mailto:gaoxin.kjj@example.gov.cn"' in page and 'href="tel:0591-12340101"' in page
    assert "待公布" not in card


def test_a_department_without_a_recorded_contact_says_it_is_to_be_published(browser):
    page = browser.text("/policies/T-DIRECT-QUAL")  # 县退役军人事务局: no contact is recorded for it
    card = liaison_card(page)
    assert "联系方式待公布" in card and "县退役军人事务局尚未登记牵头科室与联络员" in card
    assert "牵头科室 " not in card and "<table" not in page.split('id="liaison"', 1)[1].split("</div>", 1)[0]


def test_what_the_office_typed_is_shown_as_text_never_as_markup(browser, database):
    details = ContactDetails("<b>综合股</b>", "<i>王五</i>", "0591-12345678", "wangwu@example.gov.cn")
    with database.session_scope() as session:
        DepartmentContacts(session).update("dept-power-supply", details, "joint-office")
    try:
        page = browser.text("/policies/T-AUTO")
        assert "&lt;b&gt;综合股&lt;/b&gt;" in page and "&lt;i&gt;王五&lt;/i&gt;" in page
        assert "<b>综合股" not in page
    finally:
        with database.session_scope() as session:  # the shared database: the department is unrecorded again
            session.delete(session.get(DepartmentContact, "dept-power-supply"))
