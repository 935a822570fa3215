"""The Camunda Forms: valid, in Chinese, only what form-js 1.8 (Tasklist 7.24) renders, and bound.

Every user task and start event names its form by ``camunda:formRef`` with deployment binding, and
every form a diagram names is in forms/ (so in the same deployment).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from stdnum.cn import uscc

from domain.cases import PROCESS_KEY
from domain.config import PROJECT_ROOT

FORMS = sorted((PROJECT_ROOT / "forms").glob("*.form"))
DIAGRAMS = sorted((PROJECT_ROOT / "bpmn").glob("*.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Components and properties form-js 1.8 knows (the subset this project uses is enough to list).
INPUTS = {"textfield", "textarea", "number", "datetime", "select", "radio", "checkbox", "checklist", "taglist"}
COMPONENTS = INPUTS | {"text", "separator", "spacer", "group", "image", "button"}
PROPERTIES = {
    "id",
    "type",
    "key",
    "label",
    "description",
    "text",
    "values",
    "valuesKey",
    "validate",
    "disabled",
    "readonly",
    "conditional",
    "defaultValue",
    "subtype",
    "dateLabel",
    "timeLabel",
    "decimalDigits",
    "increment",
    "layout",
    "appearance",
    "components",
    "showOutline",
    "searchable",
}
VALIDATIONS = {"required", "min", "max", "minLength", "maxLength", "pattern", "validationType"}
# Forms where no answer is required: one only shows a result; at acceptance, an empty checklist is a
# true answer (nothing received yet) and leads to the supplement notice.
NOTHING_REQUIRED = {"read_extension_result", "check_completeness"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def inputs(form: dict) -> list[dict]:
    return [c for c in form["components"] if c["type"] in INPUTS and not c.get("disabled")]


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_form_is_valid_form_js_1_8(path):
    form = load(path)
    assert form["id"] == path.stem, "a form is named after the element it serves"
    assert form["type"] == "default" and isinstance(form["schemaVersion"], int)
    ids = [c["id"] for c in form["components"]]
    assert len(ids) == len(set(ids)), "component ids are unique"
    for component in form["components"]:
        assert component["type"] in COMPONENTS, f"{component['type']} is not a form-js 1.8 component"
        assert set(component) <= PROPERTIES, f"unknown properties {set(component) - PROPERTIES}"
        assert set(component.get("validate", {})) <= VALIDATIONS
        if component["type"] in INPUTS:
            assert re.fullmatch(r"[a-z][A-Za-z0-9]*", component["key"]), "keys are process variable names"
            assert CJK.search(component["label"]), "labels are in Chinese"
        if component["type"] in ("radio", "select", "checklist"):
            assert component.get("values") or component.get("valuesKey")
            for option in component.get("values", []):
                assert option["value"] and CJK.search(option["label"])
        if "conditional" in component:
            assert component["conditional"]["hide"].startswith("="), "conditions are FEEL expressions"


@pytest.mark.parametrize("path", [p for p in FORMS if p.stem not in NOTHING_REQUIRED], ids=lambda p: p.stem)
def test_every_form_requires_what_its_step_needs(path):
    assert any(c.get("validate", {}).get("required") for c in inputs(load(path)))


def test_every_user_task_and_start_event_has_a_deployed_form():
    form_ids = {load(p)["id"] for p in FORMS}
    referenced = set()
    for diagram in DIAGRAMS:
        for element in ET.parse(diagram).getroot().iter():
            tag = element.tag.removeprefix(BPMN)
            if tag == "userTask" or (tag == "startEvent" and element.get(f"{CAMUNDA}initiator")):
                ref = element.get(f"{CAMUNDA}formRef")
                assert ref, f"{diagram.name}: {element.get('id')} has no form"
                assert element.get(f"{CAMUNDA}formRefBinding") == "deployment"
                assert ref in form_ids, f"{diagram.name}: {element.get('id')} names a missing form {ref}"
                referenced.add(ref)
    assert referenced == form_ids, f"forms no element uses: {form_ids - referenced}"


# The FEEL the engine's form guard evaluates (engine/.../FormValues.java): terms joined by and/or.
HIDE_TERM = re.compile(r'\s*[A-Za-z][A-Za-z0-9]*\s*(!=|=)\s*"[^"]*"\s*')


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_conditions_stay_inside_what_the_engine_checks(path):
    """A hidden field is not required; the engine must read each condition as the browser does."""
    for component in load(path)["components"]:
        condition = component.get("conditional", {}).get("hide")
        if condition:
            assert condition.startswith("=")
            for alternative in condition[1:].split(" or "):
                for term in alternative.split(" and "):
                    assert HIDE_TERM.fullmatch(term), f"{component['id']}: {condition}"


def test_manual_routing_routes_through_the_policy_catalogue():
    """R3: the window names a catalogue policy (so the department, kind, level and materials follow), or refuses."""
    keys = {c.get("key") for c in load(PROJECT_ROOT / "forms" / "manual_routing.form")["components"]}
    assert {"routingChoice", "routedPolicyCode", "routingRefusal"} <= keys
    assert not keys & {"departmentGroup", "policyKind", "policyLevel"}


def amount_fields() -> list[tuple[str, dict]]:
    """Every editable amount a person types (a key ending in Amount, or a label naming 金额)."""
    return [
        (path.stem, c)
        for path in FORMS
        for c in inputs(load(path))
        if c["key"].endswith("Amount") or "金额" in c.get("label", "")
    ]


def test_every_editable_amount_is_in_yuan_with_two_decimals():
    fields = amount_fields()
    assert {(form, c["key"]) for form, c in fields} >= {
        ("decide", "approvedAmount"),
        ("approve_disbursement", "disbursedAmount"),
        ("reconcile_arrival", "reconciledAmount"),
        ("record_funds_arrival", "confirmedAmount"),
        ("record_municipal_result", "municipalAmount"),
    }
    for form, c in fields:
        where = f"{form}.{c['key']}"
        assert c["type"] == "number" and c.get("decimalDigits") == 2, where
        assert c["validate"]["min"] >= 0.01, where  # more than nothing: a zero grant is a refusal, not an amount
        assert "元" in c["label"] + c.get("description", ""), where
        assert "两位小数" in c.get("description", ""), f"{where}: the hint says what the field accepts"


def test_counts_of_working_days_take_whole_days_only():
    """A number of working days (an extension's, a period's) is a whole number: no 1.5 days in a form."""
    counts = [(path.stem, c) for path in FORMS for c in inputs(load(path))
              if c["type"] == "number" and "工作日" in c.get("label", "")]  # fmt: skip
    assert ("contact_enterprise", "extraWorkingDays") in {(form, c["key"]) for form, c in counts}
    for form, c in counts:
        assert c.get("decimalDigits") == 0, f"{form}.{c['key']}"


VALID_CREDIT_CODES = ["91350100M000100Y43", "91110000600037341L", "12100000400000624D"]


@pytest.mark.engine
def test_the_deployed_start_forms_credit_code_takes_valid_codes_only(admin):
    form = admin.get(f"/process-definition/key/{PROCESS_KEY}/deployed-start-form")
    (field,) = [c for c in form["components"] if c.get("key") == "creditCode"]
    rules = field["validate"]

    def accepted(code: str) -> bool:
        # form-js checks the pattern as a JavaScript RegExp; this one reads the same in Python.
        length_ok = rules["minLength"] <= len(code) <= rules["maxLength"]
        return length_ok and re.search(rules["pattern"], code) is not None

    for code in VALID_CREDIT_CODES:
        assert uscc.is_valid(code), code  # GB 32100-2015, check digit included
        assert accepted(code), code
    valid = VALID_CREDIT_CODES[0]
    assert not accepted(valid.lower())
    assert not accepted(valid[:-1]) and not accepted(valid + "1")
    for letter in "IOSVZ":  # letters GB 32100-2015 leaves out
        assert not accepted(valid[:8] + letter + valid[9:]), letter
        assert not accepted(valid[:-1] + letter), letter
