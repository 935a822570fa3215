"""Binding an account to its enterprise by the window's one-time code, and what an unbound account sees."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid

import pytest
from sqlalchemy import select

from domain.applications.models import Application
from domain.applications.submission import ApplicationNotFound, ApplicationService
from domain.audit.models import AuditEntry
from domain.enterprises import binding
from domain.enterprises.errors import BindingRefused, EnterpriseError, LoginFailed, WeakPassword
from domain.enterprises.models import BindingCode
from domain.enterprises.services import EnterpriseService
from domain.enterprises.visibility import Viewer
from domain.notices.models import Notice
from domain.notices.services import NoticeService
from tests.webui.conftest import new_credit_code

NOW = dt.datetime(2026, 9, 28, 2, 0, tzinfo=dt.UTC)
PASSWORD = "abc1234567"
NEW_PASSWORD = "new-secret-2026"


def sign_up(session, code: str):
    return EnterpriseService(session).sign_up(code, "福兴科技有限公司", "张三", "13800000000", None, PASSWORD)


def actions(session, code: str) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).where(AuditEntry.target == code).order_by(AuditEntry.id)))


def test_a_code_is_shown_once_and_only_its_hash_is_kept(db_session):
    code = new_credit_code()
    plain = binding.issue(db_session, code.lower(), "window-clerk", NOW, "10.0.0.1")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", plain)
    row = db_session.scalars(select(BindingCode).where(BindingCode.credit_code == code)).one()
    assert row.code_hash == hashlib.sha256(plain.replace("-", "").encode()).hexdigest()
    assert (row.issued_by, row.expires_at - row.issued_at, row.used_at) == ("window-clerk", dt.timedelta(days=30), None)
    assert plain.replace("-", "") not in repr(row.__dict__)
    assert actions(db_session, code) == ["enterprise.binding_code_issued"]
    assert len({binding.issue(db_session, code, "window-clerk", NOW) for _ in range(20)}) == 20


def test_an_invalid_credit_code_gets_no_code(db_session):
    with pytest.raises(EnterpriseError, match="无效"):
        binding.issue(db_session, "91350100M000100Y4X", "window-clerk", NOW)


def test_typing_is_forgiving():
    assert binding.normalise_code("abcd efgh-jk0o") == "ABCDEFGHJK00"
    assert binding.normalise_code("1il1-2222-3333") == "111122223333"
    assert binding.normalise_code("ABCD-EFGH-JKU0") == ""  # U is no letter of the alphabet
    assert binding.normalise_code("ABCD-EFGH") == ""


def test_the_logged_in_account_binds_without_a_new_password_and_the_code_works_once(db_session):
    code = new_credit_code()
    account = sign_up(db_session, code)
    assert not account.bound
    plain = binding.issue(db_session, code, "window-clerk", NOW)
    bound = binding.claim(db_session, code, plain.lower().replace("-", " "), NOW, enterprise=account)
    assert bound is account and account.bound_at == NOW and account.credentials_changed_at is None
    assert EnterpriseService(db_session).authenticate(code, PASSWORD) is account  # the password is unchanged
    with pytest.raises(BindingRefused, match=binding.REFUSED):
        binding.claim(db_session, code, plain, NOW, enterprise=account)
    assert actions(db_session, code)[-1] == "enterprise.bound"


def test_the_code_holder_takes_a_squatted_account_over(db_session):
    code = new_credit_code()
    squatter = sign_up(db_session, code)
    plain = binding.issue(db_session, code, "window-clerk", NOW)
    with pytest.raises(WeakPassword):  # not logged in as the account: a new password is required
        binding.claim(db_session, code, plain, NOW)
    with pytest.raises(WeakPassword):
        binding.claim(db_session, code, plain, NOW, "short1")
    owner = binding.claim(db_session, code, plain, NOW, NEW_PASSWORD)
    assert owner.id == squatter.id and owner.bound and owner.credentials_changed_at == NOW
    with pytest.raises(LoginFailed):
        EnterpriseService(db_session).authenticate(code, PASSWORD)
    assert EnterpriseService(db_session).authenticate(code, NEW_PASSWORD).id == owner.id
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "enterprise.bound")).all()[-1]
    assert entry.details["taken_over"] is True


def test_another_account_logged_in_takes_over_too(db_session):
    code, other = new_credit_code(), new_credit_code()
    sign_up(db_session, code)
    someone = sign_up(db_session, other)
    plain = binding.issue(db_session, code, "window-clerk", NOW)
    owner = binding.claim(db_session, code, plain, NOW, NEW_PASSWORD, enterprise=someone)
    assert owner.credit_code == code and owner.credentials_changed_at == NOW and not someone.bound


@pytest.mark.parametrize("case", ["unknown", "expired", "other enterprise's", "superseded", "bad credit code"])
def test_every_refusal_reads_the_same(db_session, case):
    code, other = new_credit_code(), new_credit_code()
    account = sign_up(db_session, code)
    plain = binding.issue(db_session, code, "window-clerk", NOW)
    theirs = binding.issue(db_session, other, "window-clerk", NOW)
    given, when, credit_code = plain, NOW, code
    if case == "unknown":
        given = "ABCD-EFGH-JKMN"
    elif case == "expired":
        when = NOW + binding.VALID_FOR
    elif case == "other enterprise's":
        given = theirs
    elif case == "superseded":
        binding.issue(db_session, code, "window-clerk", NOW + dt.timedelta(minutes=1))
        when = NOW + dt.timedelta(minutes=2)
    else:
        credit_code = "not-a-code"
    with pytest.raises(BindingRefused) as refused:
        binding.claim(db_session, credit_code, given, when, enterprise=account)
    assert str(refused.value) == "绑定码无效或已过期，请向专窗重新领取。"
    assert not account.bound
    binding.record_refusal(db_session, credit_code, refused.value, code, "10.0.0.9")
    assert actions(db_session, credit_code)[-1] == "enterprise.binding_refused"


def test_a_claim_with_no_account_signs_one_up_bound(db_session):
    code = new_credit_code()
    plain = binding.issue(db_session, code, "window-clerk", NOW)
    with pytest.raises(EnterpriseError, match="尚未注册"):
        binding.claim(db_session, code, plain, NOW, NEW_PASSWORD)
    assert db_session.scalars(select(BindingCode).where(BindingCode.credit_code == code)).one().used_at is None
    details = binding.AccountDetails("柜台企业有限公司", "王五", "13700000000")
    account = binding.claim(db_session, code, plain, NOW, NEW_PASSWORD, details=details)
    assert account.bound and account.name == "柜台企业有限公司"
    assert EnterpriseService(db_session).authenticate(code, NEW_PASSWORD).id == account.id


def application(session, code: str, channel: str, filed_by: int | None) -> Application:
    row = Application(
        number=f"HQ-T-{uuid.uuid4().hex[:10]}",
        submit_token=uuid.uuid4().hex,
        credit_code=code,
        enterprise_name="福兴科技有限公司",
        contact_name="张三",
        phone="13800000000",
        policy_code="T-QUAL",
        guide_version=1,
        channel=channel,
        submitted_by=code if channel == "online" else "window-clerk",
        filed_by_enterprise_id=filed_by,
        process_instance_id=f"pi-{uuid.uuid4().hex}",
    )
    session.add(row)
    session.flush()
    return row


def test_an_unbound_account_sees_only_what_it_filed_online(db_session):
    code = new_credit_code()
    account = sign_up(db_session, code)
    own = application(db_session, code, "online", account.id)
    walk_in = application(db_session, code, "window", None)
    theirs = application(db_session, new_credit_code(), "online", None)
    for row in (own, walk_in):
        db_session.add(
            Notice(
                idempotency_key=uuid.uuid4().hex, process_instance_id=row.process_instance_id,
                application_number=row.number, kind="受理通知", recipient=code, subject="受理", body="正文",
            )
        )  # fmt: skip
    db_session.flush()
    unbound, applications, notices = Viewer.of(account), ApplicationService(db_session), NoticeService(db_session)
    assert [a.number for a in applications.of_enterprise(unbound)] == [own.number]
    assert applications.get_for(own.number, unbound).id == own.id
    with pytest.raises(ApplicationNotFound):
        applications.get_for(walk_in.number, unbound)
    assert (unbound.sees(own), unbound.sees(walk_in), unbound.sees(theirs)) == (True, False, False)
    assert [n.application_number for n in notices.inbox(unbound)] == [own.number]
    hidden = notices.for_application(walk_in.number)[0]
    assert notices.for_enterprise(walk_in.process_instance_id, unbound) == []
    assert notices.addressed_to(hidden.id, unbound) is None

    plain = binding.issue(db_session, code, "window-clerk", NOW)
    bound = Viewer.of(binding.claim(db_session, code, plain, NOW, enterprise=account))
    assert {a.number for a in applications.of_enterprise(bound)} == {own.number, walk_in.number}
    assert applications.get_for(walk_in.number, bound).id == walk_in.id
    assert notices.addressed_to(hidden.id, bound).id == hidden.id
    assert len(notices.inbox(bound)) == 2
    with pytest.raises(ApplicationNotFound):
        applications.get_for(theirs.number, bound)
    assert Viewer(code, None, bound=False).sees(own) is False  # an unbound reader without an account sees nothing


def test_only_production_insists_on_the_code_at_sign_up():
    from domain.config import Settings
    from domain.production import sign_up_needs_binding_code

    assert sign_up_needs_binding_code(Settings(environment="production")) is True
    assert sign_up_needs_binding_code(Settings()) is False
