"""Due dates on re-entry, with the engine's own job executor on (issue 10, item 4).

Every other test drives timers through REST on a fixed business date. Here the engine runs its timers
by itself against the real clock, as in the county: a case goes through each loop (a supplement at
acceptance, a correction in the preliminary review, a return by the finance bureau) and no escalation
fires, because every step it comes back to is due from its return, never on a date already past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.engine import EngineProcess, free_port
from devstack.stack import prepare_database, prepare_engine
from devstack.stack import worker_env as stack_worker_env
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.applications.intake import Intake
from domain.applications.storage import UploadStore
from domain.clock import BusinessClock
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from domain.engine.variables import format_date, parse_date
from domain.timeliness.models import OverdueEscalation
from tests.support.case import FINANCE, WINDOW, CaseDriver
from tests.support.policies import add_test_policies

pytestmark = pytest.mark.engine
ACCOUNT = {"payeeBank": "县农商银行", "payeeAccount": "6228480012345678"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CaseDriver, Database, EngineClient]]:
    """An engine whose job executor runs, workers on the real date, and a driver for one case."""
    workdir: Path = tmp_path_factory.mktemp("live")
    engine = EngineProcess(
        free_port(), workdir / "engine", workdir / "engine.log", env={"ENGINE_JOB_EXECUTION": "true"}
    )
    engine.start()
    workers = None
    try:
        settings = prepare_engine(engine.rest_url)
        database = Database(prepare_database(workdir))
        with database.session_scope() as session:
            add_test_policies(session)
        workers = WorkersProcess(stack_worker_env(settings, database.url, workdir), workdir / "workers.log").start()
        admin, service = EngineClient.as_admin(settings), EngineClient.as_service(settings)
        counter = Intake(database, UploadStore(workdir / "uploads", 1024 * 1024), CaseGateway(service), BusinessClock())

        def as_user(user: str) -> EngineClient:
            return EngineClient(settings.url, user, "demo", settings.timeout_seconds, settings.retries)

        case = CaseDriver(admin, service, as_user, counter)
        case.timeout = 60.0
        yield case, database, admin
    finally:
        if workers is not None:
            workers.stop()
        engine.stop()


def test_every_loop_comes_back_with_a_due_date_that_has_not_passed(live):
    case, database, admin = live
    case.start("T-DIRECT", **ACCOUNT)
    case.complete("check_completeness", WINDOW, providedMaterials=["M01"])  # → supplement, then the check again
    case.supplement(["M02", "M03"])
    case.complete("check_completeness", WINDOW, providedMaterials=["M01", "M02", "M03"])
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="incomplete",
                  preliminaryOpinion="缺社保缴费证明", correctionGuidance="请补交")  # fmt: skip
    case.supplement(["M03"])  # → the department's correction, then the preliminary review again
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="qualified", preliminaryOpinion="符合")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.fire_timer("objection_period_over")  # the 公示's five working days, not waited for
    case.complete("approve_disbursement", FINANCE, disbursementDecision="return", financeOpinion="请核实金额")
    again = case.task("decide", "hrss-reviewer")  # → returned: the department decides again
    assert again.due > dt.datetime.now(dt.UTC)

    # The job executor ran all along: a timer due already would have fired. None is due, none fired.
    now = format_date(dt.datetime.now(dt.UTC))
    assert admin.get("/job", processInstanceId=case.instance_id, timers="true", dueDates=f"lt_{now}") == []
    for task in admin.get("/task", processInstanceId=case.instance_id):
        assert task["due"] is None or parse_date(task["due"]) > dt.datetime.now(dt.UTC), task
    reached = admin.get("/history/activity-instance", processInstanceId=case.instance_id,
                        activityType="escalationEndEvent")  # fmt: skip
    assert reached == [], [r["activityId"] for r in reached]
    assert not admin.get("/task", processInstanceId=case.instance_id, taskDefinitionKey="supervise_overdue")
    with database.session_scope() as session:
        assert session.query(OverdueEscalation).count() == 0
    wait_for(lambda: "decide" in case.path(), "the path")
