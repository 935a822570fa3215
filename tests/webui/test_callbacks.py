"""The signed inbound endpoints (R9, R10, R19): the bank's confirmation and the city's result.

Everything from outside is hostile: a bad signature, an old timestamp, a replayed key, an unknown
number, a wrong amount, a missing result or a second confirmation each get a clear answer in Chinese
and change nothing; every attempt is in the audit trail.
"""

from __future__ import annotations

import dataclasses
import time

import pytest
from sqlalchemy import select

from domain.audit.models import AuditEntry
from domain.config import CallbackSettings
from domain.fulfilment.models import PaymentOrder
from domain.notices.services import NoticeService
from tests.support.callbacks import MUNICIPAL_SECRET, PAYMENT_SECRET, signed_post
from tests.support.case import FINANCE

PAYMENT = "/api/callbacks/payment"
MUNICIPAL = "/api/callbacks/municipal-result"


@pytest.fixture(autouse=True)
def _secrets(monkeypatch):
    monkeypatch.setenv("PAYMENT_CALLBACK_SECRET", PAYMENT_SECRET)
    monkeypatch.setenv("MUNICIPAL_CALLBACK_SECRET", MUNICIPAL_SECRET)


def arrival(number: str, amount="3000.00", reference="NX-CB-1") -> dict:
    return {"applicationNumber": number, "bankReference": reference, "arrivedOn": "2026-10-12", "amount": amount}


def message(answer) -> str:
    return answer.get_json()["message"]


def refusals(database, number: str) -> list[AuditEntry]:
    with database.session_scope() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.target == number, AuditEntry.action.like("callback.%.refused"))
        )
        return [(entry.action, entry.details["status"]) for entry in entries]


def test_a_bad_signature_or_an_old_timestamp_is_refused_and_audited(client, database):
    number = "SIG-" + str(time.time_ns())
    answer = signed_post(client, PAYMENT, arrival(number), PAYMENT_SECRET, sign_with="someone-else")
    assert answer.status_code == 401 and "签名无效" in message(answer)
    old = signed_post(client, PAYMENT, arrival(number), PAYMENT_SECRET, timestamp=int(time.time()) - 3600)
    assert old.status_code == 401 and "时间戳超出允许范围" in message(old)
    unsigned = client.post(PAYMENT, json=arrival(number))
    assert unsigned.status_code == 400 and "幂等键" in message(unsigned)
    assert refusals(database, number) == [("callback.payment.refused", status) for status in (401, 401, 400)]


def test_a_municipal_answer_without_result_is_refused(client, database):
    number = "RES-" + str(time.time_ns())
    answer = signed_post(client, MUNICIPAL, {"applicationNumber": number, "documentNumber": "市科〔2026〕3号"},
                         MUNICIPAL_SECRET)  # fmt: skip
    assert answer.status_code == 422 and "审查结果" in message(answer)
    funds = {"applicationNumber": number, "result": "approved", "documentNumber": "市科〔2026〕3号", "amount": 5}
    no_payer = signed_post(client, MUNICIPAL, funds, MUNICIPAL_SECRET)
    assert no_payer.status_code == 422 and "由谁支付" in message(no_payer)
    assert refusals(database, number) == [("callback.municipal.refused", 422)] * 2


def test_without_a_configured_secret_nothing_is_taken(client, monkeypatch, app):
    resources = app.extensions["huiqi"]  # the same installation, with no callback secret configured
    resources.settings = dataclasses.replace(resources.settings, callbacks=CallbackSettings())
    answer = signed_post(client, PAYMENT, arrival("X"), "")
    assert answer.status_code == 503 and "未配置回调密钥" in message(answer)


@pytest.mark.engine
@pytest.mark.usefixtures("workers")
def test_the_bank_confirms_once_and_everything_else_is_refused(client, case, database, engine_settings):
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.complete("decide", "hrss-reviewer", decision="approved", approvedAmount=3000, decisionOpinion="同意补贴")
    case.wait_for_activity("await_objection")
    case.announce()
    case.approve_disbursement(3000)
    case.task("record_funds_arrival", FINANCE)  # the finance bureau's task is open; the bank is quicker

    unknown = signed_post(client, PAYMENT, arrival("NO-SUCH-NUMBER"), PAYMENT_SECRET)
    assert unknown.status_code == 404 and "未找到申报编号" in message(unknown)

    taken = signed_post(client, PAYMENT, arrival(case.key), PAYMENT_SECRET, key="bank-key-1")
    assert taken.status_code == 200, taken.get_json()
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "approved-paid"
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert (order.bank_reference, str(order.confirmed_amount), order.confirmation_source) == (
            "NX-CB-1", "3000.00", "callback"
        )  # fmt: skip
        assert order.confirmed_on.isoformat() == "2026-10-12"

    replay = signed_post(client, PAYMENT, arrival(case.key), PAYMENT_SECRET, key="bank-key-1")
    assert replay.status_code == 409 and "重放" in message(replay)
    second = signed_post(client, PAYMENT, arrival(case.key, reference="NX-CB-2"), PAYMENT_SECRET)
    assert second.status_code == 409 and "已登记到账" in message(second)
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert order.bank_reference == "NX-CB-1"
    assert [status for _, status in refusals(database, case.key)] == [409, 409]
    assert "record_funds_arrival" in case.path()  # its task ended when the bank reported (whichever first)


@pytest.mark.engine
@pytest.mark.usefixtures("workers")
def test_a_differing_amount_goes_to_the_finance_bureau_and_a_late_bank_finds_it_done(client, case, database):
    """R19: an amount that differs from the order is taken, and checked by the finance bureau; once the finance
    bureau has recorded an arrival, the bank's report is answered 409 and changes nothing."""
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.announce()
    case.approve_disbursement(3000)
    case.task("record_funds_arrival", FINANCE)
    wrong = signed_post(client, PAYMENT, arrival(case.key, amount="2999.99"), PAYMENT_SECRET)
    assert wrong.status_code == 200 and "已转县财政局核对" in message(wrong)
    case.task("reconcile_arrival", FINANCE)
    assert not case.admin.get("/task", processInstanceId=case.instance_id, taskDefinitionKey="record_funds_arrival")
    case.complete("reconcile_arrival", FINANCE, reconciledAmount=2999.99, reconciliationNote="银行扣收手续费 0.01 元")
    case.task("confirm_feedback", "window-clerk")
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert str(order.confirmed_amount) == "2999.99" and order.confirmation_source == "callback"


@pytest.mark.engine
@pytest.mark.usefixtures("workers")
def test_when_the_finance_bureau_records_first_the_bank_finds_it_done(client, case, database):
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.announce()
    case.approve_disbursement(3000)
    case.confirm_payment("NX-TL-1")
    case.task("confirm_feedback", "window-clerk")
    late = signed_post(client, PAYMENT, arrival(case.key), PAYMENT_SECRET)
    assert late.status_code == 409 and "已登记到账" in message(late)
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert (order.bank_reference, order.confirmation_source) == ("NX-TL-1", "tasklist")


@pytest.mark.engine
@pytest.mark.usefixtures("workers")
def test_the_city_answers_through_its_endpoint_once(client, case, database):
    case.qualify("T-HIGHER", "industry-reviewer")
    case.decide("industry-reviewer", "县级初审通过，建议推荐")
    case.report("industry-reviewer", "市工业和信息化局", "推荐该企业申报省级技术创新示范企业")
    case.task("record_municipal_result", "industry-reviewer")  # the department's task; the city is quicker
    with database.session_scope() as session:  # the enterprise is told its case went up (三.三)
        interim = [n for n in NoticeService(session).for_application(case.key) if n.kind == "上报告知"]
        assert len(interim) == 1 and "已于" in interim[0].body and "市工业和信息化局" in interim[0].body

    answer = {"applicationNumber": case.key, "result": "rejected", "documentNumber": "市工信〔2026〕9号",
              "opinion": "不符合省级示范条件"}  # fmt: skip
    taken = signed_post(client, MUNICIPAL, answer, MUNICIPAL_SECRET)
    assert taken.status_code == 200, taken.get_json()
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "rejected-by-municipal"
    assert case.variable("municipalDocumentNumber") == "市工信〔2026〕9号"

    again = signed_post(client, MUNICIPAL, {**answer, "result": "approved"}, MUNICIPAL_SECRET)
    assert again.status_code == 409 and "已登记市级审查结果" in message(again)
    unknown = signed_post(client, MUNICIPAL, {**answer, "applicationNumber": "NO-SUCH"}, MUNICIPAL_SECRET)
    assert unknown.status_code == 404 and "未找到申报编号" in message(unknown)
    assert case.variable("outcome") == "rejected-by-municipal"
