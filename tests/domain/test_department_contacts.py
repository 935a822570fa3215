"""The departments' people (R14): each department's lead section and liaison, checked, audited, seeded for demos."""

from __future__ import annotations

import dataclasses

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

import domain.models  # noqa: F401  (every table on Base.metadata)
from domain.audit.services import trail
from domain.db import Base, Database
from domain.departments.contacts import (
    CONTACT_UNITS,
    ContactChanged,
    ContactDetails,
    ContactInvalid,
    DepartmentContacts,
    UnknownDepartment,
    checked,
    contact_unit,
    normalise_email,
    normalise_phone,
)
from domain.departments.demo import DEMO_CONTACTS, seed_demo_contacts
from domain.departments.models import DepartmentContact
from domain.organisation import DEPARTMENTS, FINANCE_BUREAU, JOINT_MEETING_OFFICE, WINDOW

GOOD = ContactDetails("中小企业股", "王五", "0591-12345678", "wangwu@example.gov.cn")
GROUP = "dept-forestry"  # no demo contact: each test records its own in a rolled-back transaction


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0591-12345678", "0591-12345678"),
        ("059112345678", "0591-12345678"),
        (" 0591 1234567 ", "0591-1234567"),
        ("(0591)12345678", "0591-12345678"),
        ("（0591）12345678", "0591-12345678"),  # full-width brackets, as a Chinese keyboard types them
        ("０５９１－１２３４５６７８", "0591-12345678"),  # full-width digits and hyphen
        ("010-12345678", "010-12345678"),
        ("021-87654321", "021-87654321"),
        ("0591-12345678-801", "0591-12345678-801"),
        ("0591-12345678转801", "0591-12345678-801"),
        ("13800001234", "13800001234"),
        ("138-0000-1234", "13800001234"),
        ("+86 138 0000 1234", "13800001234"),
    ],
)
def test_a_landline_with_its_area_code_or_a_mobile_is_accepted(typed, kept):
    assert normalise_phone(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请填写联络员电话"),
        ("   ", "请填写联络员电话"),
        ("12345678", "无效"),  # a local number without its area code
        ("87654321", "无效"),
        ("0591-123456", "无效"),  # too short
        ("0591-123456789", "无效"),  # too long
        ("0591-02345678", "无效"),  # a local number never starts with 0
        ("0012-12345678", "无效"),  # no such area code
        ("1380000123", "无效"),  # a mobile of 10 digits
        ("12800001234", "无效"),  # no such mobile prefix
        ("0591-12345678-1234567", "无效"),  # an extension of 7 digits
        ("0591-12345678; 0591-87654321", "无效"),  # one number only
        ("电话 0591-12345678", "无效"),
        ("tel:+8613800001234", "无效"),
        ("1" * 41, "太长"),
    ],
)
def test_anything_else_is_refused_naming_the_number(typed, message):
    with pytest.raises(ValueError, match=message) as refused:
        normalise_phone(typed)
    if typed.strip() and len(typed) <= 40:
        assert typed.strip() in str(refused.value) and "带区号的固定电话" in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("wangwu@example.gov.cn", "wangwu@example.gov.cn"),
        (" Wang.Wu+r14@Example.GOV.cn ", "Wang.Wu+r14@example.gov.cn"),
        ("a_b-c@mail.county-1.example", "a_b-c@mail.county-1.example"),
    ],
)
def test_a_plain_email_address_is_accepted(typed, kept):
    assert normalise_email(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "wangwu",
        "wangwu@",
        "@example.gov.cn",
        "wangwu@example",  # no top-level domain
        "wangwu@example.c",
        "wangwu@example.123",
        "wang wu@example.gov.cn",
        "wangwu@@example.gov.cn",
        "wang..wu@example.gov.cn",
        ".wangwu@example.gov.cn",
        "wangwu@-example.gov.cn",
        "wangwu@example..gov.cn",
        "王五@example.gov.cn",
        "wangwu@例子.中国",
        "wangwu@example.gov.cn\nBcc: all@example.gov.cn",
        "wangwu@example.gov.cn,li@example.gov.cn",
        "\"wang\"@example.gov.cn",
        "x" * 65 + "@example.gov.cn",  # a local part over 64 characters
    ],
)
def test_a_malformed_email_is_refused_naming_it(typed):
    with pytest.raises(ValueError, match="格式不正确"):
        normalise_email(typed)


def test_an_overlong_or_empty_email_is_refused():
    with pytest.raises(ValueError, match="太长"):
        normalise_email("a@" + "b" * 250 + ".cn")
    with pytest.raises(ValueError, match="请填写联络员电子邮箱"):
        normalise_email("  ")


def test_every_problem_is_named_at_once():
    with pytest.raises(ContactInvalid) as refused:
        checked(ContactDetails("", "王" * 21, "12345", "not-an-address"))
    problems = refused.value.problems
    assert len(problems) == 4
    assert problems[0] == "请填写牵头科室。"
    assert problems[1] == "联络员姓名最多 20 个字（现为 21 个）。"
    assert "联络员电话 “12345” 无效" in problems[2]
    assert "联络员电子邮箱 “not-an-address” 格式不正确" in problems[3]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lead_section", "股" * 41, "牵头科室最多 40 个字（现为 41 个）"),
        ("lead_section", "中小企业股\n<script>", "牵头科室含有换行或不可见的字符"),
        ("liaison_name", "王\u200b五", "联络员姓名含有换行或不可见的字符"),  # a zero-width space
        ("liaison_name", "   ", "请填写联络员姓名"),
        ("liaison_name", None, "请填写联络员姓名"),
    ],
)
def test_names_are_required_bounded_and_on_one_line(field, value, message):
    with pytest.raises(ContactInvalid) as refused:
        checked(dataclasses.replace(GOOD, **{field: value}))
    assert [p for p in refused.value.problems if message in p]


def test_values_are_trimmed_and_normalised():
    clean = checked(ContactDetails("  中小企业股 ", " 王五 ", "(0591) 12345678", " WangWu@Example.gov.cn "))
    assert clean == ContactDetails("中小企业股", "王五", "0591-12345678", "WangWu@example.gov.cn")


def test_every_department_and_the_finance_bureau_keep_a_contact_and_nobody_else():
    assert {u.group_id for u in CONTACT_UNITS} == {u.group_id for u in (*DEPARTMENTS, FINANCE_BUREAU)}
    assert contact_unit("finance-bureau") is FINANCE_BUREAU
    for group in (WINDOW.group_id, JOINT_MEETING_OFFICE.group_id, "managers", "dept-nowhere", "", None, 7):
        with pytest.raises(UnknownDepartment):
            contact_unit(group)  # type: ignore[arg-type]


def test_a_missing_department_is_refused_and_nothing_written(db_session):
    contacts = DepartmentContacts(db_session)
    for group in ("dept-nowhere", JOINT_MEETING_OFFICE.group_id):
        with pytest.raises(UnknownDepartment):
            contacts.update(group, GOOD, "joint-office")
        with pytest.raises(UnknownDepartment):
            contacts.get(group)
        assert contacts.recorded(group) is None
    assert db_session.scalar(select(func.count()).where(DepartmentContact.group_id == "dept-nowhere")) == 0


def test_recording_and_changing_a_contact_is_audited(db_session):
    contacts = DepartmentContacts(db_session)
    assert contacts.get(GROUP) is None
    contact, changed = contacts.update(GROUP, GOOD, "joint-office", seen_version=0, address="10.0.0.8")
    assert changed and contact.version == 1 and contact.updated_by == "joint-office"
    assert contact.updated_at.tzinfo is not None
    moved = dataclasses.replace(GOOD, liaison_name="赵六", liaison_phone="13800001234")
    contact, changed = contacts.update(GROUP, moved, "office-2", seen_version=1)
    assert changed and contact.version == 2 and contact.liaison_name == "赵六" and contact.updated_by == "office-2"

    first, second = trail(db_session, GROUP)
    assert (first.actor_kind, first.actor, first.action, first.address) == (
        "staff", "joint-office", "department.contact_updated", "10.0.0.8",
    )
    assert first.details["before"] is None and first.details["after"]["liaison_phone"] == "0591-12345678"
    assert second.details["before"]["liaison_name"] == "王五" and second.details["after"]["liaison_name"] == "赵六"
    assert [unit.group_id for unit, _ in contacts.listing()] == [u.group_id for u in CONTACT_UNITS]
    assert {u.group_id: c for u, c in contacts.listing()}[GROUP] is contact


def test_an_unchanged_contact_writes_nothing(db_session):
    contacts = DepartmentContacts(db_session)
    contacts.update(GROUP, GOOD, "joint-office")
    same = ContactDetails(" 中小企业股", "王五", "059112345678", "wangwu@EXAMPLE.gov.cn")
    contact, changed = contacts.update(GROUP, same, "someone-else", seen_version=1)
    assert not changed and contact.version == 1 and contact.updated_by == "joint-office"
    assert len(trail(db_session, GROUP)) == 1


def test_invalid_details_write_nothing(db_session):
    contacts = DepartmentContacts(db_session)
    contacts.update(GROUP, GOOD, "joint-office")
    with pytest.raises(ContactInvalid):
        contacts.update(GROUP, dataclasses.replace(GOOD, liaison_email="bad"), "joint-office", seen_version=1)
    contact = contacts.get(GROUP)
    assert contact.liaison_email == "wangwu@example.gov.cn" and contact.version == 1
    assert len(trail(db_session, GROUP)) == 1


def test_a_page_opened_before_someone_elses_change_is_refused(db_session):
    contacts = DepartmentContacts(db_session)
    contacts.update(GROUP, GOOD, "joint-office", seen_version=0)
    contacts.update(GROUP, dataclasses.replace(GOOD, liaison_name="赵六"), "office-2", seen_version=1)
    with pytest.raises(ContactChanged, match="刚被他人修改"):
        contacts.update(GROUP, dataclasses.replace(GOOD, liaison_name="钱七"), "joint-office", seen_version=1)
    with pytest.raises(ContactChanged):  # a page of "none recorded yet", opened before the first record
        contacts.update(GROUP, GOOD, "joint-office", seen_version=0)
    assert contacts.get(GROUP).liaison_name == "赵六"


def test_the_demo_contacts_are_valid_and_never_overwrite_an_edit(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    database.migrate()
    try:
        with database.session_scope() as session:
            assert DepartmentContacts(session).listing() == [(u, None) for u in CONTACT_UNITS]  # production: none
            for group, details in DEMO_CONTACTS.items():
                assert checked(details) == details, group
                assert "example.gov.cn" in details.liaison_email and details.liaison_phone.startswith("0591-")
            assert sorted(seed_demo_contacts(session)) == sorted(DEMO_CONTACTS)
        with database.session_scope() as session:
            edited = dataclasses.replace(DEMO_CONTACTS["dept-industry"], liaison_name="王五")
            DepartmentContacts(session).update("dept-industry", edited, "joint-office")
        with database.session_scope() as session:
            assert seed_demo_contacts(session) == []
            assert DepartmentContacts(session).get("dept-industry").liaison_name == "王五"
            assert DepartmentContacts(session).get("dept-tax") is None  # left for the fallback to show
            assert trail(session, "dept-science")[0].actor_kind == "system"
    finally:
        database.dispose()


def test_the_migration_builds_the_models_table(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    database.migrate()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    database.dispose()
    assert [d for d in differences if "department_contact" in repr(d)] == []
