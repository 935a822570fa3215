"""Effects reaching the outside world through the workers: e-mail over SMTP, the municipal endpoint
(failing, then recovering; slow, with the task's lock extended), the bank's confirmation recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.fulfilment.models import MunicipalReport, PaymentOrder
from tests.support.municipal import SECRET, MunicipalSide
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def mailbox():
    with smtp_server() as (port, box):
        box.port = port
        yield box


@pytest.fixture(scope="module")
def municipal():
    """The city's endpoint: fails twice, then recovers; answers slowly when told to."""
    side = MunicipalSide([503, 503])
    with side.running() as url:
        side.url = url
        yield side


@pytest.fixture(scope="module")
def effect_workers(worker_env, test_dir, mailbox, municipal):
    env = {
        **worker_env,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "OUTBOX_POLL_SECONDS": "0.2",
        "MUNICIPAL_REPORT_URL": municipal.url,
        "MUNICIPAL_REPORT_SECRET": SECRET,
        "MUNICIPAL_BACKOFF_SECONDS": "0.1",
        "MUNICIPAL_TIMEOUT_SECONDS": "8",
        "WORKER_LOCK_MS": "2000",  # short, so that the slow report below must extend it
    }
    process = WorkersProcess(env, test_dir / "effect-workers.log").start()
    yield process
    assert process.stop() == 0, process.log()


def test_the_supplement_notice_is_emailed_with_its_pdf_letter(case, mailbox, effect_workers):
    case.start("T-QUAL", contactEmail="finance@fuxing.example")
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01", "M02"])
    message = wait_for(lambda: [m for m in mailbox.messages if case.key in m["Subject"]], "the e-mail", timeout=30)[0]
    assert message["To"] == "finance@fuxing.example"
    assert "近两年财务审计报告" in message.get_body(("plain",)).get_content()
    (letter,) = list(message.iter_attachments())
    assert letter.get_filename() == f"{case.key}.pdf"


def test_the_municipal_report_survives_a_failing_endpoint_and_a_slow_one(case, database, municipal, effect_workers):
    case.qualify("T-HIGHER", "industry-reviewer")
    case.decide("industry-reviewer", "建议推荐")
    municipal.delay = 3.0  # longer than the 2 s lock: the worker must extend it, not lose the task
    case.report("industry-reviewer", "市工业和信息化局", "推荐申报")
    case.task("record_municipal_result", "industry-reviewer")

    ours = [r for r in municipal.requests if r["body"]["applicationNumber"] == case.key]
    assert len(ours) == 3  # two 503 answers, then the report goes through: once
    assert all(r["signed"] and r["key"] == case.instance_id for r in ours)
    assert ours[0]["body"]["enterprise"] == {"name": "福兴科技有限公司", "creditCode": "91350100M000100Y43"}
    with database.session_scope() as session:
        report = session.scalar(select(MunicipalReport).where(MunicipalReport.application_number == case.key))
        assert (report.status, report.attempts, report.remote_reference) == ("sent", 3, "SJ-0003")
    log = case.admin.get(
        "/history/external-task-log",
        processInstanceId=case.instance_id,
        activityIdIn="send_municipal_report",
        successLog="true",
    )
    assert len(log) == 1
    assert "锁定延长" in effect_workers.log()


def test_the_banks_confirmation_is_recorded(case, database, effect_workers):
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意", amount=8000)
    case.announce()
    case.disburse(8000, "NX-20261015-88")
    case.task("confirm_feedback", "window-clerk")
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert order.bank_reference == "NX-20261015-88" and order.confirmed_at is not None
        assert order.document_reference.startswith("县财政局〔2026〕")
    assert case.variable("paymentOrderReference") == order.document_reference
