"""Each real-world effect happens exactly once, even when a worker dies in the middle of it.

A victim worker talks to the engine through a proxy that holds back its completion of the target
activity: its effect is committed, the engine still waits. The victim is killed with SIGKILL; a
rescuer worker takes the task when the victim's lock expires and runs it again. Exactly one
notice, one document number, one payment order exist for the case.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.documents.models import Document
from domain.fulfilment.models import PaymentOrder
from domain.notices.models import Notice
from tests.support.holding_proxy import HoldingProxy

pytestmark = pytest.mark.engine

LOCK_MS = "3000"


@pytest.fixture
def victim_and_rescuer(admin, worker_env, test_dir, request):
    proxy = HoldingProxy(admin).start()
    name = request.node.name
    victim = WorkersProcess(
        {**worker_env, "CAMUNDA_URL": proxy.url, "WORKER_ID": "victim", "WORKER_LOCK_MS": LOCK_MS},
        test_dir / f"{name}-victim.log",
    ).start()
    rescuer = WorkersProcess({**worker_env, "WORKER_ID": "rescuer"}, test_dir / f"{name}-rescuer.log")
    yield proxy, victim, rescuer
    proxy.stop()
    if victim.process.poll() is None:
        victim.kill()
    if rescuer.process is not None:
        rescuer.stop()


def kill_in_the_middle(case, proxy, victim, rescuer, activity_id: str) -> None:
    """Wait until the victim holds its completion of the activity, kill it, let the rescuer finish."""
    wait_for(proxy.held.is_set, f"the victim to finish the effect of {activity_id}", timeout=30)
    victim.kill()
    proxy.stop()
    rescuer.start()
    log = wait_for(
        lambda: case.admin.get(
            "/history/external-task-log",
            processInstanceId=case.instance_id,
            activityIdIn=activity_id,
            successLog="true",
        ),
        f"{activity_id} to be completed by the rescuer",
        timeout=60,
    )
    assert [entry["workerId"] for entry in log] == ["rescuer"]


def count(database, statement) -> int:
    with database.session_scope() as session:
        return session.scalar(statement)


def test_one_supplement_notice(case, database, victim_and_rescuer):
    proxy, victim, rescuer = victim_and_rescuer
    proxy.arm("send_supplement_notice")
    case.start("T-QUAL")
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01"])
    kill_in_the_middle(case, proxy, victim, rescuer, "send_supplement_notice")
    case.wait_for_activity("await_supplement")
    notices = select(func.count()).select_from(Notice).where(Notice.application_number == case.key)
    assert count(database, notices) == 1


def test_one_document_number(case, database, victim_and_rescuer):
    proxy, victim, rescuer = victim_and_rescuer
    case.qualify("T-DIRECT-QUAL", "veterans-reviewer")
    case.decide("veterans-reviewer", "予以认定")
    proxy.arm("issue_recognition_document")
    case.recognise("veterans-reviewer", "认定通知")
    kill_in_the_middle(case, proxy, victim, rescuer, "issue_recognition_document")
    documents = (
        select(func.count())
        .select_from(Document)
        .where(Document.application_number == case.key, Document.kind == "recognition")
    )
    assert count(database, documents) == 1
    with database.session_scope() as session:
        numbers = sorted(session.scalars(select(Document.number).where(Document.department_group == "dept-veterans")))
    assert numbers == list(range(1, len(numbers) + 1))  # no gap, no twin


def test_one_payment_order(case, database, victim_and_rescuer):
    proxy, victim, rescuer = victim_and_rescuer
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意", amount=5000)
    case.announce()
    proxy.arm("dispatch_payment")
    case.approve_disbursement(5000)
    kill_in_the_middle(case, proxy, victim, rescuer, "dispatch_payment")
    orders = select(func.count()).select_from(PaymentOrder).where(PaymentOrder.application_number == case.key)
    assert count(database, orders) == 1
