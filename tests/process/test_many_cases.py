"""200 applications through the automated path with 3 worker processes at once: all complete, no effect
duplicated, document numbers contiguous."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from devstack.workers_process import WorkersProcess
from domain.documents.models import Document
from domain.notices.models import Notice
from tests.support.case import CaseDriver

pytestmark = pytest.mark.engine

CASES = 200
REVIEWER = "power-reviewer"


@pytest.fixture(scope="module")
def three_workers(worker_env, test_dir):
    processes = [
        WorkersProcess({**worker_env, "WORKER_ID": f"w{n}"}, test_dir / f"many-w{n}.log").start() for n in range(3)
    ]
    yield processes
    for process in processes:
        assert process.stop() == 0, process.log()


def drive(case: CaseDriver) -> str:
    case.timeout = 120
    case.accept("T-AUTO")
    case.complete("preliminary_review", REVIEWER, preliminaryResult="qualified", preliminaryOpinion="符合")
    case.decide(REVIEWER, "予以认定")
    case.recognise(REVIEWER, "认定通知")
    case.give_feedback()
    return case.variable("outcome")


def test_two_hundred_cases_with_three_workers(admin, service, as_user, database, three_workers):
    cases = [CaseDriver(admin, service, as_user) for _ in range(CASES)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(drive, cases))
    assert outcomes == ["approved-recognised"] * CASES

    keys = [case.key for case in cases]
    with database.session_scope() as session:
        per_case = dict(
            session.execute(
                select(Document.application_number, func.count())
                .where(Document.application_number.in_(keys))
                .group_by(Document.application_number)
            ).all()
        )
        numbers = sorted(
            session.scalars(select(Document.number).where(Document.department_group == "dept-power-supply"))
        )
        results = session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.application_number.in_(keys), Notice.kind == "结果反馈")
        )
    assert per_case == dict.fromkeys(keys, 2)  # one recognition document and one result notice each
    assert numbers == list(range(1, 2 * CASES + 1))  # contiguous: no gap, no twin
    assert results == CASES
    busy = {process.env["WORKER_ID"] for process in three_workers if "任务完成" in process.log()}
    assert busy == {"w0", "w1", "w2"}  # the load was shared
