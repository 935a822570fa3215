"""Every end of the process, reached only as the county's users and outside systems reach it (issue 9).

Staff complete their Tasklist tasks with exactly the fields of the deployed forms (the driver refuses
anything else, and the engine refuses a value the form would not accept); the enterprise, the public,
the window's pages, the bank and the city act through the web UI and its signed endpoints. No test here
correlates a message or sets a variable itself.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.fulfilment.models import Announcement, PaymentOrder
from tests.support.callbacks import MUNICIPAL_SECRET, PAYMENT_SECRET, signed_post
from tests.support.case import FINANCE, WINDOW, CaseDriver
from tests.webui.conftest import TOKEN
from tests.webui.test_applications import files
from tests.webui.test_counter_supplement import bring, walk_in
from tests.webui.test_online_cases import driver_for
from tests.webui.test_staff import staff

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]

PAYMENT = "/api/callbacks/payment"
MUNICIPAL = "/api/callbacks/municipal-result"
ACCOUNT = {"payeeBank": "县农商银行", "payeeAccount": "6228480012345678"}


@pytest.fixture(autouse=True)
def _secrets(monkeypatch):
    monkeypatch.setenv("PAYMENT_CALLBACK_SECRET", PAYMENT_SECRET)
    monkeypatch.setenv("MUNICIPAL_CALLBACK_SECRET", MUNICIPAL_SECRET)


def fed_back(case: CaseDriver, outcome: str) -> str:
    """The window's unified feedback closes the case; return the written result notice."""
    case.task("confirm_feedback", WINDOW)
    assert case.variable("outcome") == outcome
    notice = case.variable("resultNotice")
    case.give_feedback()
    return notice


def object_on_the_public_page(client, database, case: CaseDriver, text: str):
    with database.session_scope() as session:
        announcement = session.scalar(select(Announcement).where(Announcement.process_instance_id == case.instance_id))
    page = f"/announcements/{announcement.id}"
    csrf = TOKEN.search(client.get(page).get_data(as_text=True))
    data = {"name": "某公民", "contact": "13900000000", "text": text, **({"csrf_token": csrf.group(1)} if csrf else {})}
    return client.post(page, data=data, follow_redirects=True)


def test_recognised_walk_in_with_materials_brought_to_the_counter(app, database, admin, service, as_user):
    """approved-recognised; the walk-in variant: the window files, then records the missing material."""
    clerk = staff(app, WINDOW)
    answer = walk_in(clerk, files())
    number = answer.headers["Location"].rsplit("/", 1)[1]
    case = driver_for(number, admin, service, as_user, database)
    case.complete("check_completeness", WINDOW, providedMaterials=["M01", "M02"])  # the audit report unreadable
    case.wait_for_activity("await_supplement")
    assert "已登记柜台补正材料" in bring(clerk, number, files(codes=("M03",))).get_data(as_text=True)
    case.complete("check_completeness", WINDOW, providedMaterials=["M01", "M02", "M03"])
    case.complete("preliminary_review", "industry-reviewer", preliminaryResult="qualified",
                  preliminaryOpinion="符合申报条件", needsSiteInspection=True, needsExpertReview=False)  # fmt: skip
    case.complete("site_inspection", "industry-reviewer", inspectionDate="2026-09-28", inspectors="张工",
                  inspectionFindings="与申报一致", inspectionPassed="passed")  # fmt: skip
    case.decide("industry-reviewer", "予以认定")
    case.recognise("industry-reviewer", "关于认定县级专精特新中小企业的通知")
    notice = fed_back(case, "approved-recognised")
    assert case.variable("recognitionDocument") in notice


def test_paid_after_a_public_objection_with_the_banks_callback(client, case, database):
    """approved-paid: an objection through the 公示 page is dismissed; the bank reports the arrival."""
    case.qualify("T-DIRECT", "hrss-reviewer", **ACCOUNT)
    case.decide("hrss-reviewer", "同意补贴", amount=3000)
    case.wait_for_activity("await_objection")
    page = object_on_the_public_page(client, database, case, "新招用人员数量存疑")
    assert "异议已提交" in page.get_data(as_text=True)
    case.resolve_objection("hrss-reviewer", "经核查社保记录属实", upheld=False)
    case.announce()
    case.approve_disbursement(3000)
    case.task("record_funds_arrival", FINANCE)
    arrived = {"applicationNumber": case.key, "bankReference": "NX-E2E-1", "arrivedOn": "2026-10-12",
               "amount": "3000.00"}  # fmt: skip
    assert signed_post(client, PAYMENT, arrived, PAYMENT_SECRET).status_code == 200
    assert "3,000.00 元" in fed_back(case, "approved-paid")
    with database.session_scope() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.application_number == case.key))
        assert (order.confirmation_source, order.bank_reference) == ("callback", "NX-E2E-1")


def test_manually_routed_and_paid_by_the_finance_bureau(case):
    """approved-paid; the manual-routing variant: the window names the policy, the finance bureau records
    the arrival in Tasklist; experts are called because the department asked for them (R6)."""
    case.accept("XX-UNKNOWN", **ACCOUNT)
    case.complete("manual_routing", WINDOW, routingChoice="route", routedPolicyCode="T-DIRECT",
                  routingNote="企业填错编码，经核实为稳岗补贴")  # fmt: skip
    case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="qualified", preliminaryOpinion="符合",
                  needsSiteInspection=True, needsExpertReview=False)  # fmt: skip
    case.complete("site_inspection", "hrss-reviewer", inspectionDate="2026-09-28", inspectors="王工",
                  inspectionFindings="属实", inspectionPassed="passed")  # fmt: skip
    case.decide("hrss-reviewer", "同意补贴", amount=5000)
    case.announce()
    case.disburse(5000, "NX-E2E-2")
    assert "5,000.00 元" in fed_back(case, "approved-paid")
    assert "site_inspection" in case.path()  # the catalogue said no; the department decided yes


@pytest.mark.parametrize(
    ("policy", "reviewer", "outcome"),
    [
        ("T-DIRECT-QUAL", "veterans-reviewer", "approved-recognised"),
        ("T-HIGHER", "industry-reviewer", "approved-reported"),
    ],
)
def test_manually_routed_to_the_other_ends(case, policy, reviewer, outcome):
    """The manual-routing variant, to recognition and to the city: the chosen policy's steps follow (R3)."""
    case.accept("XX-TYPO")
    case.complete("manual_routing", WINDOW, routingChoice="route", routedPolicyCode=policy, routingNote="核实后分流")
    case.complete("preliminary_review", reviewer, preliminaryResult="qualified", preliminaryOpinion="符合")
    case.decide(reviewer, "予以支持")
    if outcome == "approved-recognised":
        case.recognise(reviewer, "关于认定的通知")
    else:
        case.report(reviewer, "市工业和信息化局", "推荐申报")
        case.municipal_answer(reviewer, "approved", "市级审核通过")
    fed_back(case, outcome)
    assert case.variable("policyCode") == policy


def test_reported_and_approved_by_the_citys_system(client, case):
    """approved-reported: the city's system posts its result while the department's task waits."""
    case.qualify("T-HIGHER", "industry-reviewer")
    case.decide("industry-reviewer", "建议推荐")
    case.report("industry-reviewer", "市工业和信息化局", "推荐申报省级示范企业")
    case.task("record_municipal_result", "industry-reviewer")
    answer = {"applicationNumber": case.key, "result": "approved", "documentNumber": "市工信〔2026〕12号"}
    assert signed_post(client, MUNICIPAL, answer, MUNICIPAL_SECRET).status_code == 200
    fed_back(case, "approved-reported")


def test_city_funds_paid_by_the_county_finance_bureau(case):
    """approved-paid through the city (五.二): the department records the city's award; the county pays it."""
    case.qualify("T-HIGHER-FUND", "commerce-reviewer", **ACCOUNT)
    case.decide("commerce-reviewer", "建议推荐", amount=10000)
    case.report("commerce-reviewer", "市商务局", "推荐申报市级外贸发展资金")
    case.municipal_answer("commerce-reviewer", "approved", "市级核定 8000 元，由县财政支付",
                          municipalAmount=8000, municipalPayer="county")  # fmt: skip
    approval = case.task("approve_disbursement", FINANCE)
    assert case.candidate_groups(approval.id_) == {"finance-bureau"}
    assert case.variable("approvedAmount") == 8000
    case.disburse(8000, "NX-E2E-3")
    assert "8,000.00 元" in fed_back(case, "approved-paid")


def test_rejected_by_the_city_recorded_by_the_department(case):
    """rejected-by-municipal: the department records the city's written answer in Tasklist."""
    case.qualify("T-HIGHER", "industry-reviewer")
    case.decide("industry-reviewer", "建议推荐")
    case.report("industry-reviewer", "市工业和信息化局", "推荐申报")
    case.municipal_answer("industry-reviewer", "rejected", "不符合省级示范条件", document="市工信〔2026〕13号")
    assert "不符合省级示范条件" in fed_back(case, "rejected-by-municipal")


@pytest.mark.parametrize("how", ["ineligible", "decided", "objection-upheld"])
def test_rejected(client, case, database, how):
    """rejected: found ineligible, decided against, or an objection upheld."""
    if how == "ineligible":
        case.accept("T-DIRECT", **ACCOUNT)
        case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="ineligible",
                      preliminaryOpinion="企业不在本县注册")  # fmt: skip
        reason = "企业不在本县注册"
    elif how == "decided":
        case.qualify("T-DIRECT", "hrss-reviewer", **ACCOUNT)
        case.decide("hrss-reviewer", "新招用人员未缴社保", decision="rejected")
        reason = "新招用人员未缴社保"
    else:
        case.qualify("T-DIRECT", "hrss-reviewer", **ACCOUNT)
        case.decide("hrss-reviewer", "同意补贴", amount=3000)
        case.wait_for_activity("await_objection")
        object_on_the_public_page(client, database, case, "虚报招用人数")
        case.resolve_objection("hrss-reviewer", "经核查虚报属实", upheld=True)
        reason = "经核查虚报属实"
    assert reason in fed_back(case, "rejected")


@pytest.mark.parametrize("how", ["window", "department"])
def test_withdrawn(case, how):
    """withdrawn: the window reached the enterprise, which gave up; or the department's correction lapsed."""
    if how == "window":
        case.start("T-DIRECT", **ACCOUNT)
        case.complete("check_completeness", WINDOW, providedMaterials=[])
        case.fire_timer("supplement_contact_due")
        case.complete("contact_enterprise", WINDOW, contactRecord="电话联系，企业放弃", supplementDecision="withdraw")
    else:
        case.accept("T-DIRECT", **ACCOUNT)
        case.complete("preliminary_review", "hrss-reviewer", preliminaryResult="incomplete",
                      preliminaryOpinion="缺少社保缴费证明", correctionGuidance="请补交社保缴费证明")  # fmt: skip
        case.fire_timer("correction_expired")
    fed_back(case, "withdrawn")


@pytest.mark.parametrize("how", ["window", "closed", "outside-the-service"])
def test_not_accepted(case, how):
    """not-accepted: the window refuses, the policy is closed, or the case is no 惠企政策 at all."""
    if how == "window":
        case.start("T-DIRECT", **ACCOUNT)
        case.complete("check_completeness", WINDOW, providedMaterials=[], acceptanceDecision="refuse",
                      refusalReason="申报主体不是企业")  # fmt: skip
        reason = "申报主体不是企业"
    elif how == "closed":
        case.start("T-CLOSED")
        reason = "已截止受理"
    else:
        case.accept("XX-OUTSIDE")
        case.complete("manual_routing", WINDOW, routingChoice="refuse", routingRefusal="属个人事项，不属于受理范围",
                      routingNote="已告知")  # fmt: skip
        reason = "不属于受理范围"
    assert reason in fed_back(case, "not-accepted")
