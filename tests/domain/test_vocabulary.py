"""The vocabulary (domain/cases.py) and the one codec for Camunda values (domain/engine/variables.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.cases import CaseFacts, MissingFact, NewCase, UnknownVariable, declared
from domain.clock import CHINA
from domain.engine.variables import format_date, from_camunda, parse_date, to_camunda


def test_an_undeclared_variable_is_refused():
    assert declared("policyCode") == "policyCode"
    with pytest.raises(UnknownVariable, match="policyCod"):
        declared("policyCod")


def test_case_facts_fall_back_to_the_business_key_and_name_a_missing_fact():
    case = CaseFacts.from_variables("pi-1", "HQ-20260928-0001", {"policyCode": "KJ-1", "creditCode": "X"})
    assert case.application_number == "HQ-20260928-0001"
    assert case.policy_name == "KJ-1"
    assert case.require("creditCode") == "X"
    with pytest.raises(MissingFact, match="enterpriseName"):
        case.require("enterpriseName")
    assert CaseFacts.from_variables("pi-2", None, {}).application_number == "pi-2"


def test_a_new_case_starts_with_declared_variables_only():
    case = NewCase("HQ-1", "企业", "91350100M000100Y43", "KJ-1", 2, "张三", "13800000000", None, "", None, None,
                   "online", ("m2", "m1"))
    variables = case.variables()
    assert variables["providedMaterials"] == ["m1", "m2"]
    assert "contactEmail" not in variables
    assert all(declared(name) for name in variables)


def test_dates_round_trip_in_the_engines_format():
    moment = dt.datetime(2026, 10, 9, 23, 59, 59, tzinfo=CHINA)
    assert format_date(moment) == "2026-10-09T23:59:59.000+0800"
    assert parse_date(format_date(moment)) == moment
    assert parse_date(None) is None
    with pytest.raises(ValueError, match="缺少时区"):
        format_date(dt.datetime(2026, 10, 9))


def test_typed_values_round_trip():
    assert to_camunda(Decimal("12.50")) == {"value": 12.5, "type": "Double"}
    assert from_camunda(to_camunda(["a", "b"])) == ["a", "b"]
    assert from_camunda(to_camunda({"k": "值"})) == {"k": "值"}
    assert to_camunda(dt.date(2026, 10, 9)) == {"value": "2026-10-09", "type": "String"}
    assert from_camunda({"value": None, "type": "String"}) is None
