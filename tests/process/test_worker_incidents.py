"""A handler that keeps failing: bounded retries, then a readable incident in Cockpit."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_a_failing_handler_ends_as_a_readable_incident(case, admin):
    case.qualify("T-DIRECT", "hrss-reviewer")
    # A result the decision service does not know: a technical failure, not a business outcome.
    case.decide("hrss-reviewer", "无法判断", decision="maybe")

    incident = wait_for(case.incidents, "an incident after the retries", timeout=30)[0]
    assert incident["activityId"] == "record_decision"
    assert incident["incidentType"] == "failedExternalTask"
    assert "未知的审查结果 “maybe”" in incident["incidentMessage"]
    failures = admin.get(
        "/history/external-task-log",
        processInstanceId=case.instance_id,
        failureLog="true",
        sortBy="timestamp",
        sortOrder="asc",
    )
    # Retries left when each attempt failed: the first attempt, then the two retries.
    assert [f["retries"] for f in failures] == [None, 2, 1]
    assert {f["errorMessage"] for f in failures} == {incident["incidentMessage"]}
