"""History cleanup (issue 12): removal-time based, in a nightly window, and only the administrator runs it.

A case's history goes once its removal time (its end plus ENGINE_HISTORY_TTL) has passed. Here one
finished case's removal time is moved to the past, as an operator may do in Cockpit, and the cleanup is
run at once through REST: that case's history is gone, another finished case's is untouched. Every job
(the batch's and the cleanup's) is executed through REST; nothing waits for the job executor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from domain.engine import EngineClient, EngineForbidden, EngineNotFound
from domain.engine.variables import format_date, parse_date
from tests.support.case import WINDOW, CaseDriver

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def finished(case: CaseDriver) -> str:
    """The shortest way to an end: an application for a closed policy, not accepted, fed back (R12)."""
    case.start("T-CLOSED")
    case.task("confirm_feedback", WINDOW)
    case.give_feedback()
    return case.instance_id


def run_batch(admin: EngineClient, batch: dict[str, Any]) -> None:
    """Execute a batch's seed job, its jobs, then its monitor job (which ends the batch)."""
    for definition in ("seedJobDefinitionId", "batchJobDefinitionId", "monitorJobDefinitionId"):
        jobs = admin.get("/job", jobDefinitionId=batch[definition])
        assert jobs, definition
        for job in jobs:
            admin.post(f"/job/{job['id']}/execute")
    assert admin.get("/batch", batchId=batch["id"]) == []


def history_of(admin: EngineClient, instance_id: str) -> dict[str, list]:
    return {
        what: admin.get(f"/history/{what}", processInstanceId=instance_id)
        for what in ("activity-instance", "variable-instance", "task")
    }


def test_the_cleanup_runs_in_a_nightly_window(admin: EngineClient):
    window = admin.get("/history/cleanup/configuration")
    assert window["enabled"] is True
    start, end = parse_date(window["batchWindowStartTime"]), parse_date(window["batchWindowEndTime"])
    assert (start.strftime("%H:%M"), end.strftime("%H:%M")) == ("22:00", "06:00")
    assert dt.timedelta(0) < end - start <= dt.timedelta(hours=8)  # 22:00 today to 06:00 the next morning


def test_a_case_past_its_removal_time_is_cleaned_up_and_no_other(admin, service, as_user, counter, case):
    gone = finished(case)
    kept = finished(CaseDriver(admin, service, as_user, counter))
    assert admin.get(f"/history/process-instance/{kept}")["removalTime"]  # its end plus the time to live

    past = format_date(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    batch = admin.post(
        "/history/process-instance/set-removal-time",
        {"absoluteRemovalTime": past, "historicProcessInstanceIds": [gone], "hierarchical": True},
    )
    run_batch(admin, batch)
    assert parse_date(admin.get(f"/history/process-instance/{gone}")["removalTime"]) < dt.datetime.now(dt.UTC)

    admin.post("/history/cleanup?immediatelyDue=true")
    jobs = admin.get("/history/cleanup/jobs")
    assert jobs
    for job in jobs:
        admin.post(f"/job/{job['id']}/execute")

    with pytest.raises(EngineNotFound):
        admin.get(f"/history/process-instance/{gone}")
    assert history_of(admin, gone) == {"activity-instance": [], "variable-instance": [], "task": []}
    assert admin.get(f"/history/process-instance/{kept}")["state"] == "COMPLETED"
    assert all(history_of(admin, kept).values())


def test_only_the_administrator_cleans_up_history(service: EngineClient):
    """The web UI's account (and the workers', with the same read-only history grants) cannot."""
    with pytest.raises(EngineForbidden):
        service.post("/history/cleanup?immediatelyDue=true")
