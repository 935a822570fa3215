"""The house rules that keep the engine's vocabulary and each rule in one home (issue 8).

- Process keys and message names are written only in domain/cases.py.
- Only domain/engine/ speaks REST to the engine: nobody else builds an engine path or imports pycamunda.
- The web UI's views call services: no ORM query, no SQLAlchemy import under webui/.
- Every variable a worker reads through its task or case facts is declared in the vocabulary.
- bench/ does not import tests/; modules stay small.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.cases import PROCESS_KEYS, VARIABLES, Message
from domain.config import PROJECT_ROOT

VOCABULARY = PROJECT_ROOT / "domain" / "cases.py"
ENGINE_PACKAGE = PROJECT_ROOT / "domain" / "engine"
CODE_ROOTS = ("domain", "workers", "webui", "devstack", "bench", "tests")
PRODUCT_ROOTS = ("domain", "workers", "webui", "bench")
# The engine's REST resources (Camunda 7 REST API reference): a string starting with one is a REST path.
REST_PATH = re.compile(
    r"^/(engine-rest|task|history|job|process-instance|process-definition|external-task|message|execution|"
    r"user|group|authorization|filter|deployment|incident|variable-instance|identity|signal|version)\b"
)
ORM_CALLS = {"select", "query", "scalars", "scalar", "execute", "get"}


def python_files(*roots: str) -> Iterator[Path]:
    for root in roots:
        yield from (p for p in (PROJECT_ROOT / root).rglob("*.py") if ".venv" not in p.parts)


def relative(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string constant, including the literal parts of f-strings."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def parsed(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_process_keys_and_message_names_are_written_only_in_the_vocabulary():
    names = {*PROCESS_KEYS, *(m.value for m in Message)}
    found = [
        f"{relative(path)}:{line}: {value!r}"
        for path in python_files(*CODE_ROOTS)
        if path != VOCABULARY
        for line, value in strings(parsed(path))
        if value in names
    ]
    assert not found, "use the constants of domain/cases.py:\n" + "\n".join(found)


def test_only_the_engine_package_speaks_rest():
    found = []
    for path in python_files(*PRODUCT_ROOTS):
        if ENGINE_PACKAGE in path.parents or path.name == "config.py":  # config: the URL setting itself
            continue
        tree = parsed(path)
        found += [f"{relative(path)}:{line}: {value!r}" for line, value in strings(tree) if REST_PATH.match(value)]
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            found += [f"{relative(path)}:{node.lineno}: import {m}" for m in modules if m.split(".")[0] == "pycamunda"]
            if isinstance(node, ast.ImportFrom) and node.module == "domain.engine.client":
                found.append(f"{relative(path)}:{node.lineno}: imports the raw REST client module")
    assert not found, "ask a gateway in domain/engine/ instead:\n" + "\n".join(found)


def test_web_views_run_no_orm_query():
    found = []
    for path in python_files("webui"):
        tree = parsed(path)
        flask_session = any(  # Flask's cookie session is a dict, not an ORM session
            isinstance(n, ast.ImportFrom) and n.module == "flask" and any(a.name == "session" for a in n.names)
            for n in ast.walk(tree)
        )
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{relative(path)}:{node.lineno}: import {m}" for m in modules if m.startswith("sqlalchemy")]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "session"
                and not flask_session
                and node.func.attr in ORM_CALLS
            ):
                found.append(f"{relative(path)}:{node.lineno}: session.{node.func.attr}(…)")
    assert not found, "move the query into a domain service:\n" + "\n".join(found)


def test_every_variable_a_worker_reads_is_declared():
    readers = {"var", "optional", "require", "get"}
    found = []
    for path in python_files("workers"):
        for node in ast.walk(parsed(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in readers
                and isinstance(node.func.value, (ast.Name, ast.Call))
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and _is_task_or_case(node.func.value)
                and node.args[0].value not in VARIABLES
            ):
                found.append(f"{relative(path)}:{node.lineno}: {node.args[0].value}")
    assert not found, "declare these in domain/cases.py VARIABLES:\n" + "\n".join(found)


def _is_task_or_case(value: ast.expr) -> bool:
    if isinstance(value, ast.Name):
        return value.id in ("task", "case")
    return isinstance(value.func, ast.Attribute) and value.func.attr == "case"  # task.case().get(…)


def test_benchmarks_do_not_import_the_tests():
    found = [
        f"{relative(path)}:{node.lineno}"
        for path in python_files("bench")
        for node in ast.walk(parsed(path))
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tests")
        or (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "tests" for a in node.names))
    ]
    assert not found, "shared support belongs in devstack/:\n" + "\n".join(found)


@pytest.mark.parametrize("root", ["domain", "workers", "webui", "devstack", "bench"])
def test_modules_stay_small(root):
    too_long = [
        f"{relative(path)}: {lines} lines"
        for path in python_files(root)
        if "migrations" not in path.parts and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 300
    ]
    assert not too_long, "split these modules:\n" + "\n".join(too_long)


def test_the_readme_rule_table_points_at_things_that_exist():
    """Every path, test and BPMN element the README's rule table names is really there."""
    rows = [line for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| R")]
    assert len(rows) >= 12
    element_ids = set()
    for diagram in (PROJECT_ROOT / "bpmn").glob("*.bpmn"):
        element_ids |= set(re.findall(r'\bid="([a-z_]+)"', diagram.read_text(encoding="utf-8")))
    missing = []
    for token in (t for row in rows for t in re.findall(r"`([^`]+)`", row)):
        path, _, test = token.partition("::")
        if "/" in path:
            target = PROJECT_ROOT / path
            if not target.exists() or (test and f"def {test}(" not in target.read_text(encoding="utf-8")):
                missing.append(token)
        elif "." not in token and token not in element_ids:
            missing.append(token)
    assert not missing, "the README's rule table names what is not there:\n" + "\n".join(missing)


def test_every_message_a_diagram_waits_for_has_a_sender_in_the_product():
    """Who, in the county, makes each move? A message only tests send would leave real cases waiting for ever."""
    waited = set()
    for diagram in (PROJECT_ROOT / "bpmn").glob("*.bpmn"):
        waited |= set(re.findall(r'<bpmn:message [^>]*name="([^"]+)"', diagram.read_text(encoding="utf-8")))
    assert waited <= {m.value for m in Message}, "declare every message of the diagrams in domain/cases.py"
    senders: dict[str, set[str]] = {}  # message member → functions that correlate it
    callers: set[str] = set()  # names of methods or functions called in the product outside domain/engine/
    for path in python_files("domain", "webui", "workers"):
        tree = parsed(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ENGINE_PACKAGE not in path.parents:
                func = node.func
                callers.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
            if not isinstance(node, ast.FunctionDef):
                continue
            calls = {
                n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                for n in ast.walk(node)
                if isinstance(n, ast.Call)
            }
            if "correlate" not in calls:
                continue
            for n in ast.walk(node):
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Message":
                    senders.setdefault(Message[n.attr].value, set()).add(node.name)
    unsent = sorted(name for name in waited if not (senders.get(name, set()) & callers))
    assert not unsent, "nothing in the product (outside tests/) sends: " + ", ".join(unsent)


def test_the_readme_names_every_period_and_who_may_change_it():
    """Issue 10, item 3: each period the plan leaves open is documented with 本系统设定 and its setting."""
    from domain.deadlines import Deadline

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for period in Deadline:
        assert f"`{period.name}`" in readme and period.value.meaning in readme, period.name
        if period.own_choice:
            assert f"`HUIQI_PERIOD_{period.name}`" in readme, period.name
