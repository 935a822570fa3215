"""The spine of the process on the real engine, driven as the real users (R1, R3, R4, R12)."""

from __future__ import annotations

import pytest

from domain.applications.services import FeedbackService
from domain.engine import EngineAuthError, EngineForbidden
from tests.support.process import (
    activity_path,
    candidate_groups,
    complete,
    is_ended,
    new_business_key,
    start_case,
    tasks_of,
    variable,
)
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_window_case_is_routed_reviewed_and_fed_back(as_user, admin, database):
    window, science, industry = (
        as_user("window-clerk"),
        as_user("science-reviewer"),
        as_user("industry-reviewer"),
    )
    key = new_business_key()

    instance_id = start_case(window, key, policyCode="KJ-2026-001")

    # R3: the routing worker hands the case to 县科技局, the policy's department.
    review = wait_for(lambda: tasks_of(science, key), "the department review task")[0]
    assert review.task_definition_key == "department_review"
    assert candidate_groups(admin, review.id_) == {"dept-science"}

    # Another department neither sees the task nor may complete it.
    assert tasks_of(industry, key) == []
    with pytest.raises(EngineForbidden):
        complete(industry, review.id_, reviewResult="approved", reviewOpinion="越权审查")

    complete(science, review.id_, reviewResult="approved", reviewOpinion="材料齐全，符合条件")

    # R12: the feedback worker records the window's feedback; the case closes.
    wait_for(lambda: is_ended(admin, instance_id), "the case to end")
    assert activity_path(admin, instance_id) == [
        "application_received",
        "route_application",
        "routing_done",
        "department_review",
        "give_feedback",
        "case_closed",
    ]
    assert variable(admin, instance_id, "acceptedBy") == "window-clerk"
    assert variable(admin, instance_id, "outcome") == "reviewed-approved"
    with database.session_scope() as session:
        feedback = FeedbackService(session).for_application(key)
        assert feedback is not None
        assert feedback.result == "approved"
        assert "县科技局" in feedback.message and "材料齐全" in feedback.message


def test_unknown_policy_is_routed_by_the_window_by_hand(as_user, admin):
    window, tax = as_user("window-clerk"), as_user("tax-reviewer")
    key = new_business_key()

    instance_id = start_case(window, key, policyCode="XX-9999-999")

    manual = wait_for(lambda: tasks_of(window, key), "the manual routing task")[0]
    assert manual.task_definition_key == "manual_routing"
    assert candidate_groups(admin, manual.id_) == {"window"}
    assert "XX-9999-999" in variable(admin, instance_id, "routingProblem")

    complete(window, manual.id_, departmentGroup="dept-tax", routingNote="经核实属税务局政策")

    review = wait_for(lambda: tasks_of(tax, key), "the review task of 县税务局")[0]
    assert candidate_groups(admin, review.id_) == {"dept-tax"}
    assert activity_path(admin, instance_id)[:5] == [
        "application_received",
        "route_application",
        "policy_unknown",
        "manual_routing",
        "routing_done",
    ]


@pytest.mark.parametrize("user", ["science-reviewer", "finance-clerk", "joint-office", "manager"])
def test_only_the_window_starts_cases(as_user, user):
    # R1, R16: no department starts a case itself.
    with pytest.raises(EngineForbidden):
        start_case(as_user(user), new_business_key())


def test_anonymous_and_wrong_password_are_refused(engine_settings):
    import requests

    answer = requests.get(f"{engine_settings.url}/task", timeout=10)
    assert answer.status_code == 401

    from domain.engine import EngineClient

    # Not a real account: failed logins would throttle (and at 10 lock) the real one.
    wrong = EngineClient(engine_settings.url, "no-such-clerk", "not-the-password")
    with pytest.raises(EngineAuthError, match="no-such-clerk"):
        wrong.check_login()
