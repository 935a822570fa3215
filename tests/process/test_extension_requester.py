"""Issue 11, item 4: the requester of a deadline extension (R11) is the engine's authenticated initiator
(``camunda:initiator="requestedBy"``), never a start variable: a forged ``requestedBy`` is refused by the
engine's form guard (400, the field named) or replaced by the user who started the request."""

from __future__ import annotations

import pytest

from domain.cases import EXTENSION_PROCESS_KEY
from domain.engine import EngineRequestError

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def start_extension(client, number: str, **extra) -> str:
    variables = {"applicationNumber": {"value": number}, "requestedWorkingDays": {"value": 3},
                 "extensionReason": {"value": "涉及多部门会商"}, **extra}  # fmt: skip
    return client.post(f"/process-definition/key/{EXTENSION_PROCESS_KEY}/start", {"variables": variables})["id"]


def recorded_requester(admin, instance_id: str) -> str | None:
    found = admin.get("/history/variable-instance", processInstanceId=instance_id, variableName="requestedBy")
    return found[0]["value"] if found else None


def test_a_forged_requester_is_refused_or_replaced_by_the_authenticated_user(case, admin):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")
    reviewer = case.as_user("industry-reviewer")
    forged = {"requestedBy": {"value": "tax-reviewer"}}  # another department's reviewer, named by the caller
    try:
        instance_id = start_extension(reviewer, case.key, **forged)
    except EngineRequestError as refused:  # the form guard: requestedBy is not a field of the start form
        assert refused.status == 400 and "requestedBy" in str(refused)
        assert not admin.get("/process-instance", processDefinitionKey=EXTENSION_PROCESS_KEY,
                             variables=f"applicationNumber_eq_{case.key}")  # fmt: skip  # nothing started for it
        instance_id = start_extension(reviewer, case.key)
    assert recorded_requester(admin, instance_id) == "industry-reviewer"
    assert not admin.get("/history/variable-instance", processInstanceId=instance_id, variableName="requestedBy",
                         variableValue="tax-reviewer")  # fmt: skip
