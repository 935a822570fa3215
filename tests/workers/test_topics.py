"""Every external task in bpmn/ is served by exactly one handler, and no handler is orphaned."""

import xml.etree.ElementTree as ET

from domain.config import PROJECT_ROOT
from workers.topics import HANDLERS

CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"


def bpmn_topics() -> set[str]:
    topics = set()
    for path in (PROJECT_ROOT / "bpmn").glob("*.bpmn"):
        for element in ET.parse(path).getroot().iter():
            if element.get(f"{CAMUNDA}type") == "external":
                topics.add(element.get(f"{CAMUNDA}topic"))
    return topics


def test_handlers_match_the_topics_of_the_diagrams():
    assert set(HANDLERS) == bpmn_topics()


def test_each_handler_module_is_named_after_its_topic():
    for topic, handler in HANDLERS.items():
        assert handler.__module__ == f"workers.{topic}"
