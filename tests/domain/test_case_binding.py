"""Every case has its application record and its number, drawn once and kept (issue 9, item 0)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from domain.applications.case_binding import bind_case, case_token
from domain.applications.models import Application, ApplicationSequence

DAY = dt.date(2031, 3, 3)  # a day no other test draws numbers on
WALK_IN = {
    "enterpriseName": "福兴科技有限公司",
    "creditCode": "91350100M000100Y43",
    "policyCode": "T-QUAL",
    "contactName": "张三",
    "contactPhone": "13800000000",
    "intakeBy": "window-clerk",
}


def pid() -> str:
    return f"pi-{uuid.uuid4().hex}"


def drawn(session) -> int:
    return session.scalar(select(func.max(ApplicationSequence.last_number)).where(ApplicationSequence.day == DAY)) or 0


def test_a_tasklist_case_gets_a_number_and_its_own_application_record(db_session):
    case = pid()
    number = bind_case(db_session, case, None, WALK_IN, DAY).number
    record = db_session.scalar(select(Application).where(Application.process_instance_id == case))
    assert number.startswith("HQ-20310303-")
    assert (record.number, record.submit_token, record.channel) == (number, case_token(case), "window")
    assert (record.credit_code, record.policy_code, record.guide_version) == ("91350100M000100Y43", "T-QUAL", 1)
    assert record.submitted_by == "window-clerk"


def test_a_rerun_finds_the_number_and_draws_none(db_session):
    case = pid()
    first = bind_case(db_session, case, None, WALK_IN, DAY).number
    before = drawn(db_session)
    assert bind_case(db_session, case, None, WALK_IN, DAY).number == first
    assert drawn(db_session) == before  # no gap in the sequence


def test_a_typed_business_key_is_never_trusted(db_session):
    taken = bind_case(db_session, pid(), None, WALK_IN, DAY).number
    # A clerk types another case's number, or any text: the new case gets a number of its own.
    assert bind_case(db_session, pid(), taken, WALK_IN, DAY).number != taken
    assert bind_case(db_session, pid(), "随便写的", WALK_IN, DAY).number.startswith("HQ-20310303-")


def test_the_web_uis_number_is_kept_when_enterprise_and_policy_match(db_session):
    online = Application(
        number="HQ-20310303-9001", submit_token=uuid.uuid4().hex, credit_code="91350100M000100Y43",
        enterprise_name="福兴科技有限公司", contact_name="张三", phone="13800000000", policy_code="T-QUAL",
        guide_version=1, summary="", channel="online", submitted_by="91350100M000100Y43",
    )  # fmt: skip
    db_session.add(online)
    db_session.flush()
    other_enterprise = {**WALK_IN, "creditCode": "91350100M000200Y11"}
    assert bind_case(db_session, pid(), online.number, other_enterprise, DAY).number != online.number
    case = pid()
    online.submitted_at = dt.datetime(2031, 3, 1, 23, 0, tzinfo=dt.UTC)  # 2 March in China
    binding = bind_case(db_session, case, online.number, WALK_IN, DAY)
    assert (binding.number, binding.guide_version, binding.filed_on) == (online.number, 1, dt.date(2031, 3, 2))
    assert online.process_instance_id == case
    assert bind_case(db_session, pid(), online.number, WALK_IN, DAY).number != online.number  # held by a case now
