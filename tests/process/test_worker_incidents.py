"""A handler that keeps failing: bounded retries, then a readable incident in Cockpit."""

from __future__ import annotations

import pytest

from tests.support.process import complete, new_business_key, start_case, tasks_of
from tests.support.waiting import wait_for

pytestmark = pytest.mark.engine


def test_a_failing_handler_ends_as_a_readable_incident(as_user, admin, workers):
    window, science = as_user("window-clerk"), as_user("science-reviewer")
    key = new_business_key()
    instance_id = start_case(window, key)
    review = wait_for(lambda: tasks_of(science, key), "the review task")[0]

    # A result the feedback service does not know: a technical failure, not a business outcome.
    complete(science, review.id_, reviewResult="maybe", reviewOpinion="无法判断")

    incident = wait_for(
        lambda: admin.get("/incident", processInstanceId=instance_id),
        "an incident after the retries",
        timeout=30,
    )[0]
    assert incident["activityId"] == "give_feedback"
    assert incident["incidentType"] == "failedExternalTask"
    assert "未知的审查结论" in incident["incidentMessage"]
    # Retried before giving up: the external task's log has one failure per attempt (1 + 2 retries).
    failures = admin.get(
        "/history/external-task-log",
        processInstanceId=instance_id,
        failureLog="true",
        sortBy="timestamp",
        sortOrder="asc",
    )
    # Retries left when each attempt failed: the first attempt, then the two retries.
    assert [f["retries"] for f in failures] == [None, 2, 1]
    assert {f["errorMessage"] for f in failures} == {incident["incidentMessage"]}
