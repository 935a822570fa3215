"""Substantive review and decision (R6, R7), then fulfilment by type and level (R8, R9, R10, R19, R20),
each ending in unified feedback (R12) with its outcome."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from devstack.waiting import wait_for
from domain.audit.services import trail
from domain.config import CallbackSettings
from domain.documents.models import Document
from domain.engine import EngineRequestError
from domain.engine.cases import CaseGateway
from domain.fulfilment.callbacks import SignedCall
from domain.fulfilment.inbound import InboundCallbacks
from domain.fulfilment.models import Decision, MunicipalResult, PaymentOrder
from domain.fulfilment.municipal import signature
from domain.notices.services import NoticeService
from tests.support.case import FINANCE

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_county_qualification_with_site_inspection_issues_a_numbered_document(case, database):
    case.qualify("T-QUAL", "industry-reviewer")
    inspection = case.task("site_inspection", "industry-reviewer")
    assert inspection.due.isoformat() == "2026-10-30T23:59:59+08:00"  # R6: 20 working days
    case.complete(
        "site_inspection",
        "industry-reviewer",
        inspectionDate="2026-09-28",
        inspectors="张工、李工",
        inspectionFindings="生产经营正常，与申报一致",
        inspectionPassed="passed",
    )

    decide = case.task("decide", "industry-reviewer")
    assert decide.due.isoformat() == "2026-10-30T23:59:59+08:00"
    case.decide("industry-reviewer", "符合认定条件，予以认定")

    issue = case.task("issue_recognition", "industry-reviewer")
    assert issue.due.isoformat() == "2026-10-08T23:59:59+08:00"  # R8: 3 working days after the decision
    case.recognise("industry-reviewer", "关于认定县级专精特新中小企业的通知")

    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "approved-recognised"
    reference = case.variable("recognitionDocument")
    assert reference.startswith("县工信局〔2026〕") and reference.endswith("号")
    assert reference in case.variable("resultNotice")
    case.give_feedback()
    with database.session_scope() as session:
        document = session.scalar(select(Document).where(Document.application_number == case.key))
        assert document.reference == reference and document.department_group == "dept-industry"
    assert [a for a in case.path() if a in ("site_inspection", "expert_review", "decide")] == [
        "site_inspection",
        "decide",
    ]


def test_county_funding_with_experts_announcement_objection_and_payment(case, database):
    case.qualify("T-FUND", "science-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")

    case.wait_for_activity("expert_review")
    panel = case.variable_json("expertPanel")
    assert len(panel) == 3 and all(p.startswith("expert-") for p in panel)
    # Each expert has their own task, and sees only their own.
    reviews = {expert: case.task("expert_review", expert) for expert in panel}
    for expert, task in reviews.items():
        assert task.assignee == expert
        assert task.due.isoformat() == "2026-10-30T23:59:59+08:00"
    scores = {panel[0]: 90, panel[1]: 80, panel[2]: 55}
    for expert in reviews:
        recommendation = "recommend" if scores[expert] >= 60 else "not_recommend"
        case.complete(
            "expert_review",
            expert,
            expertRecommendation=recommendation,
            expertScore=scores[expert],
            expertComment=f"{expert} 的意见",
        )

    case.task("decide", "science-reviewer")
    summary = case.variable("expertSummary")
    assert "共 3 位专家，2 位建议通过，平均 75 分" in summary
    assert all(f"{expert} 的意见" in summary for expert in panel)
    case.decide("science-reviewer", "经专家评审，予以奖励", amount=200000.5)

    # R20: 公示 with an objection period of 5 working days; an objection goes to the department.
    case.wait_for_activity("await_objection")
    assert case.variable("objectionPeriodEnds") == "2026-10-10T23:59:59.000+0800"
    case.raise_objection("某公民", "该企业研发人员数量存疑")
    objection = case.task("resolve_objection", "science-reviewer")
    assert case.candidate_groups(objection.id_) == {"dept-science"}
    case.resolve_objection("science-reviewer", "经核查社保记录，研发人员数量属实", upheld=False)
    case.announce()

    # R9, R19: the finance bureau approves within 10 working days of the decision.
    approval = case.task("approve_disbursement", "finance-clerk")
    assert approval.due.isoformat() == "2026-10-16T23:59:59+08:00"
    assert case.candidate_groups(approval.id_) == {"finance-bureau"}
    case.disburse(200000.5, "NX20261012-0001", opinion="同意拨付")

    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "approved-paid"
    assert "200,000.50 元" in case.variable("resultNotice")
    case.give_feedback()
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert order.amount == Decimal("200000.50")
        assert (order.payee_bank, order.payee_account) == ("县农商银行", "6228480012345678")
        decision = session.scalar(select(Decision).where(Decision.application_number == case.key))
        assert decision.approved_amount == Decimal("200000.50")


def test_an_upheld_objection_ends_in_rejection(case):
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.raise_objection("知情人", "新招用人员为虚报")
    case.resolve_objection("hrss-reviewer", "经核查，新招用人员社保记录不实", upheld=True)
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "rejected"
    assert "社保记录不实" in case.variable("resultNotice")


def test_required_facts_are_required_on_the_forms(case):
    """Issue 9, item 6: an approved funding case needs its amount and a usable account; the finance bureau pays
    no more than was approved — refused by the engine with the reason, as the form refuses it in Tasklist."""
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="")
    decide = case.task("decide", "hrss-reviewer")
    assert decide.due.isoformat() == "2026-09-29T23:59:59+08:00"  # R7: decided directly, 1 working day
    with pytest.raises(EngineRequestError, match="核定金额") as refused:
        case.decide("hrss-reviewer", "同意补贴", payeeAccount="6228480099990000")
    assert refused.value.status == 400
    with pytest.raises(EngineRequestError, match="收款银行账号"):
        case.decide("hrss-reviewer", "同意补贴", amount=3000)
    with pytest.raises(EngineRequestError, match=r"收款银行账号.*格式"):
        case.decide("hrss-reviewer", "同意补贴", amount=3000, payeeAccount="12-34")
    with pytest.raises(EngineRequestError, match=r"审查结果.*不能取值"):
        case.decide("hrss-reviewer", "同意补贴", decision="maybe")
    case.decide("hrss-reviewer", "同意补贴", amount=3000, payeeAccount="6228480099990000")
    case.announce()
    with pytest.raises(EngineRequestError, match="超过部门核定金额"):
        case.approve_disbursement(3000.01)
    with pytest.raises(EngineRequestError, match="拨付金额"):
        case.complete("approve_disbursement", FINANCE, disbursementDecision="approve", financeOpinion="同意")
    case.disburse(3000, "NX-2")
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "approved-paid"


def test_an_arrival_that_differs_from_the_order_goes_to_the_finance_bureau(case, database):
    """R19: the amount the bank's slip shows is checked against the order, never silently accepted."""
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.announce()
    case.approve_disbursement(3000)
    arrival = case.task("record_funds_arrival", FINANCE)
    assert arrival.due.isoformat() == "2026-10-10T23:59:59+08:00"  # 5 working days after the order (our choice)
    case.confirm_payment("NX-3", amount=2999)
    check = case.task("reconcile_arrival", FINANCE)
    assert case.candidate_groups(check.id_) == {"finance-bureau"}
    case.complete("reconcile_arrival", FINANCE, reconciledAmount=3000, reconciliationNote="回单金额录入有误，已核对")
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "approved-paid"
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert order.confirmed_amount == Decimal("3000.00") and order.bank_reference == "NX-3"
        assert [e.details["reported"] for e in trail(session, case.key) if e.action == "payment.reconciled"] == [
            "2999.00"
        ]


def test_site_inspection_and_expert_review_run_side_by_side(case):
    case.qualify("T-BOTH", "agri-reviewer")
    case.task("site_inspection", "agri-reviewer")
    case.wait_for_activity("expert_review")
    panel = case.variable_json("expertPanel")
    assert len(panel) == 2
    for expert in panel:
        case.complete("expert_review", expert, expertRecommendation="recommend", expertScore=88, expertComment="同意")
    assert "decide" not in case.path()  # the inclusive join waits for the inspection
    case.complete(
        "site_inspection",
        "agri-reviewer",
        inspectionDate="2026-09-28",
        inspectors="王工",
        inspectionFindings="基地规模属实",
        inspectionPassed="passed",
    )
    case.task("decide", "agri-reviewer")


def test_higher_level_is_reported_and_followed_up_until_the_city_answers(case, database):
    case.qualify("T-HIGHER", "industry-reviewer")
    case.decide("industry-reviewer", "县级初审通过，建议推荐")
    report = case.task("report_to_municipal", "industry-reviewer")
    assert report.due.isoformat() == "2026-09-29T23:59:59+08:00"  # R10: 1 working day
    case.report("industry-reviewer", "市工业和信息化局", "推荐该企业申报省级技术创新示范企业")

    tracking = case.task("record_municipal_result", "industry-reviewer")  # the department records the city's answer
    assert tracking.due.isoformat() == "2026-10-30T23:59:59+08:00"  # 20 working days, then supervision
    assert case.variable("municipalFollowUpDue") == "2026-10-10T23:59:59.000+0800"  # every 5 working days
    case.fire_timer("municipal_follow_up_due")
    wait_for(lambda: case.variable("followUpReminders") == 1, "the first reminder")
    case.fire_timer("municipal_follow_up_due")  # the loop goes on until the city answers
    wait_for(lambda: case.variable("followUpReminders") == 2, "the second reminder")
    with database.session_scope() as session:
        reminders = [n for n in NoticeService(session).for_application(case.key) if n.kind == "跟踪提醒"]
        assert [n.recipient for n in reminders] == ["dept-industry", "dept-industry"]

    # The city is silent past 20 working days: the joint-meeting office supervises the department's tracking.
    case.fire_timer("record_municipal_result_overdue")
    case.task("supervise_overdue", "joint-office")
    assert "登记市级审查结果（县工信局）" in case.variable("overdueSummary")
    case.complete("supervise_overdue", "joint-office", supervisionOpinion="请县工信局向市级主管部门催办")

    case.municipal_answer("industry-reviewer", "approved", "市级审核通过")
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "approved-reported"
    # No reminder left behind once the city answered.
    assert not case.admin.get("/job", processInstanceId=case.instance_id, activityId="municipal_follow_up_due")
    case.give_feedback()


def test_rejected_decision_is_fed_back(case):
    case.qualify("T-DIRECT", "hrss-reviewer")
    case.decide("hrss-reviewer", "新招用人员未满 6 个月", decision="rejected")
    case.task("confirm_feedback", "window-clerk")
    assert case.variable("outcome") == "rejected"
    assert "未满 6 个月" in case.variable("resultNotice")


def test_the_money_goes_where_the_department_decided_whatever_a_variable_says_later(case, admin, database):
    """Issue 11, item 4: an operator's (or anyone's) change to the payee variable after the decision moves no money."""
    case.qualify("T-DIRECT", "hrss-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.wait_for_activity("await_objection")
    for name, value in (("payeeAccount", "6228480099998888"), ("payeeBank", "别处银行"), ("approvedAmount", 9999)):
        admin.put(f"/process-instance/{case.instance_id}/variables/{name}", {"value": value})
    case.announce()
    case.complete("approve_disbursement", FINANCE, disbursementDecision="approve", disbursedAmount=3000,
                  financeOpinion="同意")  # fmt: skip
    case.task("record_funds_arrival", FINANCE)
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert (order.payee_bank, order.payee_account, order.amount) == ("县农商银行", "6228480012345678", 3000)


def test_city_funds_follow_the_citys_recorded_result_whatever_a_variable_says_later(case, admin, database):
    """Issue 11, item 4: the amount and payer of funds the city approved (五.二) are read from the record written
    when the department recorded the city's result, so raising municipalAmount afterwards moves no more money."""
    reported_city_funding(case)
    case.municipal_answer("commerce-reviewer", "approved", "市级核定 8000 元，由县财政支付", document="市商〔2026〕7号",
                          municipalAmount=8000, municipalPayer="county")  # fmt: skip
    case.task("approve_disbursement", FINANCE)  # open_disbursement_review has kept the city's result
    assert city_record(database, case.key) == (Decimal("8000.00"), "county", "市商〔2026〕7号", "tasklist")
    a_forged_amount_moves_no_money(case, admin, database)


def test_city_funds_posted_by_the_citys_callback_follow_its_record(case, admin, database):
    """The same when the city's system posts the result (R10): the callback's record is what is paid."""
    reported_city_funding(case)
    case.task("record_municipal_result", "commerce-reviewer")
    answer = {"applicationNumber": case.key, "result": "approved", "documentNumber": "市商〔2026〕8号",
              "opinion": "核定 8000 元", "amount": 8000, "payer": "county"}  # fmt: skip
    body = json.dumps(answer, ensure_ascii=False).encode()
    stamp, secret = str(int(time.time())), "city-secret-for-this-test"
    inbound = InboundCallbacks(database, CaseGateway(case.service), CallbackSettings(municipal_secret=secret),
                               lambda: dt.datetime.now(dt.UTC))  # fmt: skip
    inbound.municipal(SignedCall(stamp, signature(secret, stamp, body), f"city-{case.key}"), body, "127.0.0.1")
    case.task("approve_disbursement", FINANCE)
    assert city_record(database, case.key) == (Decimal("8000.00"), "county", "市商〔2026〕8号", "callback")
    a_forged_amount_moves_no_money(case, admin, database)


def reported_city_funding(case) -> None:
    case.qualify("T-HIGHER-FUND", "commerce-reviewer", payeeBank="县农商银行", payeeAccount="6228480012345678")
    case.decide("commerce-reviewer", "建议推荐", amount=10000)
    case.report("commerce-reviewer", "市商务局", "推荐申报市级外贸发展资金")


def city_record(database, number: str) -> tuple:
    with database.session_scope() as session:
        record = session.scalar(select(MunicipalResult).where(MunicipalResult.application_number == number))
        return record.amount, record.payer, record.document_number, record.source


def a_forged_amount_moves_no_money(case, admin, database) -> None:
    """An operator raises the city's amount to 50,000 and the finance bureau approves that: no order is issued,
    the payment step names the recorded 8,000."""
    for name, value in (("municipalAmount", 50000), ("approvedAmount", 50000), ("municipalPayer", "county")):
        admin.put(f"/process-instance/{case.instance_id}/variables/{name}", {"value": value})
    case.complete("approve_disbursement", FINANCE, disbursementDecision="approve", disbursedAmount=50000,
                  financeOpinion="同意")  # fmt: skip

    def refused() -> str | None:
        found = admin.get("/external-task", processInstanceId=case.instance_id, activityId="dispatch_payment")
        return found[0].get("errorMessage") if found else None

    wait_for(refused, "the payment order refused")
    assert "超过核定金额 8000.00 元" in refused()  # the record's amount, not the variable's 50000
    with database.session_scope() as session:
        assert session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key)) is None
