"""The window's acceptance check (R1, R2): checklist, closed and not-yet-open policies, missing items."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.applications.acceptance import INVALID_CREDIT_CODE, PolicyClosed, checklist, missing_items
from domain.policies.services import PolicyService

VALID_CODE = "91350100M000100Y43"


def test_the_checklist_lists_the_guides_materials(db_session):
    found = checklist(db_session, "T-QUAL", dt.date(2026, 9, 28))
    assert found.policy_name == "测试：县级资质认定（现场核查）"
    assert len(found.materials) == 3
    assert "逐项核对以下 3 项材料" in found.note


def test_a_policy_past_its_deadline_is_closed(db_session):
    with pytest.raises(PolicyClosed, match="申报截止日为 2026年09月25日，已截止受理"):
        checklist(db_session, "T-CLOSED", dt.date(2026, 9, 28))


def test_a_policy_not_yet_open_without_a_deadline_says_so(db_session):
    policy = PolicyService(db_session).find_published("T-DIRECT")
    policy.application_start = dt.date(2026, 12, 1)
    db_session.flush()
    with pytest.raises(PolicyClosed, match="自 2026年12月01日 起受理，尚未开始受理"):
        checklist(db_session, "T-DIRECT", dt.date(2026, 9, 28))


def test_an_unknown_policy_is_checked_by_hand(db_session):
    found = checklist(db_session, "NO-SUCH", dt.date(2026, 9, 28))
    assert found.materials == []
    assert "人工分流" in found.note


def test_every_missing_item_is_named_at_once():
    required = [{"label": "申请表", "value": "m1"}, {"label": "营业执照", "value": "m2"}]
    assert missing_items(required, ["m1"], VALID_CODE) == ["营业执照"]
    assert missing_items(required, None, "123") == ["申请表", "营业执照", INVALID_CREDIT_CODE]
    assert missing_items(required, ["m1", "m2"], VALID_CODE) == []


def test_an_application_filed_on_time_is_accepted_after_the_deadline(db_session):
    # Filed on the deadline day; the case could start only later (the engine was down).
    found = checklist(db_session, "T-CLOSED", dt.date(2026, 9, 28), filed_on=dt.date(2026, 9, 25))
    assert found.policy_name == "测试：已截止"


def test_the_guide_version_filed_under_is_the_one_checked(db_session):
    policy = PolicyService(db_session).find_published("KJ-2026-001")  # a demo policy with its version 1 kept
    first = [m.name for m in policy.materials]
    policy.version += 1
    policy.materials[0].name = "新版申请表"
    db_session.flush()
    old = checklist(db_session, "KJ-2026-001", dt.date(2026, 9, 28), guide_version=1)
    new = checklist(db_session, "KJ-2026-001", dt.date(2026, 9, 28), guide_version=policy.version)
    assert [m["label"] for m in old.materials] == first
    assert new.materials[0]["label"] == "新版申请表"
