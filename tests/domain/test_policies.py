"""Routing by the policy catalogue (R3)."""

import pytest

from domain.policies.errors import PolicyMisconfigured, PolicyNotFound
from domain.policies.models import Policy, PolicyKind, PolicyLevel
from domain.policies.services import PolicyService


@pytest.fixture
def policy_service(db_session):
    return PolicyService(db_session)


def make_policy(**overrides) -> Policy:
    """A published county funding policy of 县税务局, with overrides."""
    values = dict(
        code="TEST-1",
        name="测试政策",
        department_group="dept-tax",
        kind=PolicyKind.FUNDING,
        level=PolicyLevel.COUNTY,
        published=True,
    )
    return Policy(**{**values, **overrides})


def test_a_policy_routes_to_its_department(policy_service):
    routing = policy_service.routing_for("KJ-2026-001")
    assert (routing.department_group, routing.department_name) == ("dept-science", "县科技局")
    assert routing.policy_name == "高新技术企业认定奖励"


def test_codes_are_matched_without_case_or_spaces(policy_service):
    assert policy_service.routing_for("  kj-2026-001 ").policy_code == "KJ-2026-001"


@pytest.mark.parametrize("code", ["XX-0000-000", "", "KJ-2026-999"])
def test_an_unknown_code_is_named(policy_service, code):
    with pytest.raises(PolicyNotFound, match="不存在或未发布"):
        policy_service.routing_for(code)


def test_an_unpublished_policy_is_not_routed(policy_service):
    policy_service.add(make_policy(code="TEST-DRAFT", published=False))
    with pytest.raises(PolicyNotFound):
        policy_service.routing_for("TEST-DRAFT")


def test_a_policy_of_an_unknown_department_is_misconfigured(policy_service):
    policy_service.add(make_policy(code="TEST-ORPHAN", department_group="dept-nowhere"))
    with pytest.raises(PolicyMisconfigured, match="dept-nowhere"):
        policy_service.routing_for("TEST-ORPHAN")
