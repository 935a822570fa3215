"""Public announcements (公示, R20): listed with their objection period; an objection reaches the department."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from domain.audit.models import AuditEntry
from domain.fulfilment.models import Objection
from tests.webui.conftest import Browser

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def announced(app, case, amount: int) -> tuple[Browser, str]:
    """A county-funding case approved and in its 公示 period; (a member of the public, the announcement's link)."""
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=amount)
    case.wait_for_activity("await_objection")
    public = Browser(app.test_client())
    listing = public.text("/announcements")
    link = re.search(rf'href="(/announcements/\d+)">[^<]*</a>\s*<div class="muted">{case.key}', listing).group(1)
    return public, link


def test_an_objection_during_the_period_goes_to_the_department(app, case, database):
    public, link = announced(app, case, 3000)
    page = public.text(link)
    assert "福兴科技有限公司" in page and "3,000.00 元" in page and "提出异议" in page

    answer = public.post(link, {"name": "知情人", "contact": "13700000000", "text": "新招用人员为虚报"})
    assert answer.status_code == 302
    objection = case.task("resolve_objection", "hrss-reviewer")
    assert case.variable("objectionText") == "新招用人员为虚报"
    assert objection.name == "处理异议"
    with database.session_scope() as session:
        assert session.scalar(select(Objection).where(Objection.application_number == case.key)).name == "知情人"
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "objection.raised", AuditEntry.target == case.key)
        )
        assert entry.actor_kind == "public" and entry.details["contact"] == "13700000000"


def test_an_incomplete_objection_is_refused_with_the_reason(app, case):
    public, link = announced(app, case, 100)
    answer = public.post(link, {"name": "", "contact": "", "text": ""})
    assert "请填写姓名、联系方式和异议内容" in answer.get_data(as_text=True)


def test_a_second_objection_while_the_first_is_handled_reaches_the_department(app, case, database):
    public, link = announced(app, case, 500)
    assert public.post(link, {"name": "甲", "contact": "13700000001", "text": "人数不实"}).status_code == 302
    case.task("resolve_objection", "hrss-reviewer")
    second = public.post(link, {"name": "乙", "contact": "13700000002", "text": "场地不符"})
    assert second.status_code == 302, second.get_data(as_text=True)
    assert case.variable("objectionText") == "人数不实\n\n另一异议（乙，13700000002）：场地不符"
    with database.session_scope() as session:
        names = session.scalars(select(Objection.name).where(Objection.application_number == case.key)).all()
    assert sorted(names) == ["乙", "甲"]
