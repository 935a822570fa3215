"""The department's decision record (R7–R9) and the reasons a result notice gives (R12, R20)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from domain.applications.outcomes import Outcome
from domain.cases import CaseFacts, CaseRef
from domain.documents.result_notice import opinion_for
from domain.fulfilment.services import DecisionService

DAY = dt.date(2026, 10, 9)


def test_a_new_decision_that_changes_only_the_amount_replaces_the_record(db_session):
    case = CaseRef(f"pi-{uuid.uuid4().hex}", "HQ-T-DECISION")
    decisions = DecisionService(db_session)
    decisions.record(case, "dept-science", "T-FUND", "approved", 3000, "同意", DAY)
    again = decisions.record(case, "dept-science", "T-FUND", "approved", 2500, "同意", DAY)
    assert again.approved_amount == Decimal("2500.00")
    assert again.round == 2


def test_the_same_decision_twice_is_one_round(db_session):
    case = CaseRef(f"pi-{uuid.uuid4().hex}", "HQ-T-DECISION-2")
    decisions = DecisionService(db_session)
    decisions.record(case, "dept-science", "T-FUND", "approved", 3000, "同意", DAY)
    assert decisions.record(case, "dept-science", "T-FUND", "approved", 3000.0, "同意", DAY).round == 1


def facts(**values) -> CaseFacts:
    return CaseFacts.from_variables("pi", "HQ-1", values)


def test_a_dismissed_objection_is_never_the_reason_of_a_rejection():
    case = facts(objectionUpheld="dismissed", objectionResolution="异议不成立", decisionOpinion="研发投入不达标")
    assert opinion_for(case, Outcome.REJECTED) == "研发投入不达标"


def test_an_upheld_objection_is_the_reason_of_the_rejection():
    case = facts(objectionUpheld="upheld", objectionResolution="经核查异议成立", decisionOpinion="同意")
    assert opinion_for(case, Outcome.REJECTED) == "经核查异议成立"
    assert opinion_for(facts(preliminaryOpinion="不符合条件"), Outcome.REJECTED) == "不符合条件"
