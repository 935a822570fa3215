"""A handler that keeps failing: bounded retries, then a readable incident in Cockpit."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_a_failing_handler_ends_as_a_readable_incident(case, admin):
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.task("decide", "hrss-reviewer")
    # An operator mistypes the amount in Cockpit's variable editor: a technical failure, not a business outcome.
    admin.put(f"/process-instance/{case.instance_id}/variables/approvedAmount", {"value": "abc", "type": "String"})
    case.complete("decide", "hrss-reviewer", decision="approved", decisionOpinion="同意补贴")

    incident = wait_for(case.incidents, "an incident after the retries", timeout=30)[0]
    assert incident["activityId"] == "record_decision"
    assert incident["incidentType"] == "failedExternalTask"
    assert "金额 “abc” 不是有效的数字" in incident["incidentMessage"]
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
