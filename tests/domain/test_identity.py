"""Identity bootstrap on the real engine: idempotent, one filter per group, Tasklist access (R14, R16)."""

from __future__ import annotations

import pytest

from domain.engine.identity import PERSONAL_FILTER, IdentityBootstrap, group_filter_name
from domain.organisation import ALL_UNITS, DEPARTMENTS, STAFF_ROLES, WINDOW, Role

pytestmark = pytest.mark.engine


def test_a_second_bootstrap_creates_nothing(admin, engine_settings):
    report = IdentityBootstrap(admin).run(service_password=engine_settings.password, demo_password="demo")
    assert (report.groups, report.users, report.authorizations, report.filters) == ([], [], [], [])


def test_every_unit_is_a_group_with_its_demo_user(admin):
    groups = {g["id"]: g["name"] for g in admin.get("/group", maxResults=500)}
    for unit in ALL_UNITS:
        assert groups[unit.group_id] == unit.name
        members = admin.get("/user", memberOfGroup=unit.group_id)
        assert unit.demo_user in {m["id"] for m in members}


@pytest.mark.parametrize("unit", [WINDOW, DEPARTMENTS[0], DEPARTMENTS[3]], ids=lambda u: u.group_id)
def test_each_group_sees_its_own_task_filter_only(as_user, unit):
    visible = {f["name"] for f in as_user(unit.demo_user).get("/filter", resourceType="Task")}
    assert visible == {group_filter_name(unit), PERSONAL_FILTER}


FILTERED_UNITS = [u for u in ALL_UNITS if u.role in STAFF_ROLES and u.role is not Role.EXPERT]


@pytest.mark.parametrize("unit", FILTERED_UNITS, ids=lambda u: u.group_id)
def test_each_group_filter_lists_by_due_date_overdue_first_with_the_policy(admin, unit):
    (found,) = admin.get("/filter", name=group_filter_name(unit), resourceType="Task")
    first = found["query"]["sorting"][0]
    assert (first["sortBy"], first["sortOrder"]) == ("dueDate", "asc")  # the earliest due, so the overdue, first
    shown = [(v["name"], v["label"]) for v in found["properties"]["variables"]]
    assert shown == [("applicationNumber", "申报编号"), ("enterpriseName", "企业名称"), ("policyName", "政策")]


def test_experts_see_the_tasks_assigned_to_them(as_user):
    visible = {f["name"] for f in as_user("expert-1").get("/filter", resourceType="Task")}
    assert visible == {PERSONAL_FILTER}


@pytest.mark.parametrize("unit", [u for u in ALL_UNITS if u.role is not Role.SERVICE], ids=lambda u: u.group_id)
def test_staff_may_open_tasklist(as_user, unit):
    check = as_user(unit.demo_user).get(
        "/authorization/check",
        permissionName="ACCESS",
        resourceName="Application",
        resourceType=0,
        resourceId="tasklist",
    )
    assert check["authorized"] is True


def test_the_service_password_in_the_environment_becomes_the_engines(admin, engine_settings):
    from domain.engine import EngineClient

    new = "a-new-service-password-0123456789"  # (the old one is not tried: a failure would delay the account)
    try:
        IdentityBootstrap(admin).run(service_password=new, demo_password=None)
        EngineClient(engine_settings.url, engine_settings.user, new).check_login()
    finally:
        IdentityBootstrap(admin).run(service_password=engine_settings.password, demo_password=None)
    EngineClient.as_service(engine_settings).check_login()
