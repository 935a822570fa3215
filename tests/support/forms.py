"""The deployed forms' fields, so that the test driver submits only what a real user can fill in.

Tasklist submits the values of a form's input fields; a read-only (disabled) field is shown, never
submitted. Form ids come from ``camunda:formRef`` in bpmn/*.bpmn: an element's (user task, start
event) and a process's start form.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import cache

from domain.config import PROJECT_ROOT

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"


@cache
def _references() -> tuple[dict[str, str], dict[str, str]]:
    """(element id → form id, process key → start form id), over every diagram."""
    elements: dict[str, str] = {}
    starts: dict[str, str] = {}
    for diagram in sorted((PROJECT_ROOT / "bpmn").glob("*.bpmn")):
        for process in ET.parse(diagram).getroot().iter(f"{BPMN}process"):
            for element in process.iter():
                form = element.get(f"{CAMUNDA}formRef")
                if not form:
                    continue
                elements[element.get("id")] = form
                if element.tag == f"{BPMN}startEvent":
                    starts[process.get("id")] = form
    return elements, starts


@cache
def fields(form_id: str) -> frozenset[str]:
    """The keys a user can fill in on this form (inputs that are not read-only)."""
    form = json.loads((PROJECT_ROOT / "forms" / f"{form_id}.form").read_text(encoding="utf-8"))
    keys: set[str] = set()
    pending = list(form["components"])
    while pending:
        component = pending.pop()
        pending += component.get("components", [])
        if component.get("key") and not component.get("disabled"):
            keys.add(component["key"])
    return frozenset(keys)


def check_task_fields(definition_key: str, names: Iterable[str]) -> None:
    """Fail unless every name is a field of the task's deployed form."""
    _check(_references()[0][definition_key], names)


def check_start_fields(process_key: str, names: Iterable[str]) -> None:
    """Fail unless every name is a field of the process's start form."""
    _check(_references()[1][process_key], names)


def _check(form_id: str, names: Iterable[str]) -> None:
    extra = set(names) - fields(form_id)
    assert not extra, f"the form {form_id} has no field {sorted(extra)}: a real user cannot submit it"
