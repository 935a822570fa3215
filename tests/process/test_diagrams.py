"""The diagrams open laid out in Camunda Modeler: complete DI, no overlapping shapes, Chinese names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from domain.config import PROJECT_ROOT

DIAGRAMS = sorted((PROJECT_ROOT / "bpmn").glob("*.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"
CJK = re.compile(r"[\u4e00-\u9fff]")
FLOW_NODES = {
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "userTask",
    "serviceTask",
    "receiveTask",
    "exclusiveGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "parallelGateway",
    "subProcess",
}
UNNAMED_OK = {"exclusiveGateway", "inclusiveGateway"}  # merges need no name


def elements(path):
    root = ET.parse(path).getroot()
    nodes = {e.get("id"): e.tag.removeprefix(BPMN) for e in root.iter() if e.tag.removeprefix(BPMN) in FLOW_NODES}
    flows = {e.get("id") for e in root.iter(f"{BPMN}sequenceFlow")}
    return root, nodes, flows


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_every_element_has_its_shape_or_edge(path):
    root, nodes, flows = elements(path)
    shapes = {s.get("bpmnElement") for s in root.iter(f"{BPMNDI}BPMNShape")}
    edges = {e.get("bpmnElement") for e in root.iter(f"{BPMNDI}BPMNEdge")}
    assert set(nodes) <= shapes, f"without a shape: {set(nodes) - shapes}"
    assert flows <= edges, f"without an edge: {flows - edges}"


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_ids_are_english_and_names_chinese(path):
    root, _, _ = elements(path)
    for element in root.iter():
        tag = element.tag.removeprefix(BPMN)
        if tag in FLOW_NODES:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", element.get("id")), element.get("id")
            if tag not in UNNAMED_OK:
                assert CJK.search(element.get("name") or ""), f"{element.get('id')} needs a Chinese name"


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_no_two_shapes_overlap(path):
    root, nodes, _ = elements(path)
    boxes = {}
    for shape in root.iter(f"{BPMNDI}BPMNShape"):
        element = shape.get("bpmnElement")
        if element in nodes and nodes[element] not in ("boundaryEvent", "subProcess"):
            b = shape.find(f"{DC}Bounds")
            boxes[element] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    for (a, (ax, ay, aw, ah)), (b, (bx, by, bw, bh)) in combinations(boxes.items(), 2):
        assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, f"{a} overlaps {b}"


def test_every_way_to_the_unified_feedback_sets_the_outcome():
    """R12: no path ends without feedback, and each says how the case ended."""
    root, nodes, _ = elements(PROJECT_ROOT / "bpmn" / "policy_fulfilment.bpmn")
    throws = {i for i, tag in nodes.items() if tag == "intermediateThrowEvent"}
    assert len(throws) >= 8
    for flow in root.iter(f"{BPMN}sequenceFlow"):
        if flow.get("targetRef") in throws:
            listeners = [
                e.get("expression") for e in flow.iter("{http://camunda.org/schema/1.0/bpmn}executionListener")
            ]
            assert any("setVariable('outcome'" in (e or "") for e in listeners), flow.get("id")


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_every_deciding_gateway_has_a_default_flow(path):
    """Issue 9, item 6: an unexpected value never ends in "no outgoing sequence flow"."""
    root, _, _ = elements(path)
    for gateway in root.iter():
        if gateway.tag in (f"{BPMN}exclusiveGateway", f"{BPMN}inclusiveGateway"):
            outgoing = [o.text for o in gateway.findall(f"{BPMN}outgoing")]
            if len(outgoing) > 1:
                assert gateway.get("default") in outgoing, f"{gateway.get('id')} has no default flow"


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_a_provisional_due_date_is_marked_on_every_task_in_tasklist(path):
    """Issue 10, item 1: a task due on a provisionally counted date says so in its description."""
    from domain.deadlines import PROVISIONAL_MARK

    root, _, _ = elements(path)
    for task in root.iter(f"{BPMN}userTask"):
        due = task.get("{http://camunda.org/schema/1.0/bpmn}dueDate")
        assert due, f"{task.get('id')} has no due date"
        documentation = task.findtext(f"{BPMN}documentation") or ""
        assert PROVISIONAL_MARK in documentation and f"' {due[2:-1]} '" in documentation, task.get("id")


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_every_edge_starts_at_its_source_and_ends_at_its_target(path):
    """A flow drawn away from its shapes (after a layout change) reads as a different process."""
    root = ET.parse(path).getroot()
    boxes = {
        shape.get("bpmnElement"): tuple(float(shape.find(f"{DC}Bounds").get(k)) for k in ("x", "y", "width", "height"))
        for shape in root.iter(f"{BPMNDI}BPMNShape")
    }
    flows = {f.get("id"): (f.get("sourceRef"), f.get("targetRef")) for f in root.iter(f"{BPMN}sequenceFlow")}

    def near(point, box, slack=6.0):
        x, y, w, h = box
        return x - slack <= point[0] <= x + w + slack and y - slack <= point[1] <= y + h + slack

    for edge in root.iter(f"{BPMNDI}BPMNEdge"):
        source, target = flows[edge.get("bpmnElement")]
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iter(f"{DI}waypoint")]
        assert near(points[0], boxes[source]), f"{edge.get('bpmnElement')} does not start at {source}"
        assert near(points[-1], boxes[target]), f"{edge.get('bpmnElement')} does not end at {target}"
