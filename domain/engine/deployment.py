"""Deploy every BPMN diagram and Camunda Form as one deployment, through the REST API.

All files go in one deployment because user tasks bind their forms with
``camunda:formRefBinding="deployment"``. Duplicate filtering makes a second run with unchanged
files deploy nothing. Files are checked before anything is sent; the engine's own parse errors
come back with the file name; either way nothing is deployed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from domain.engine.client import EngineClient
from domain.engine.errors import EngineRequestError

DEPLOYMENT_NAME = "huiqi-policy-fulfilment"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"


class DeploymentInvalid(Exception):
    """A BPMN or form file is broken; the message names the file and the problem."""


@dataclass
class DeploymentResult:
    """What the engine did with the files."""

    deployment_id: str
    created: bool
    process_definitions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if not self.created:
            return f"没有变化，未部署新版本（当前部署 {self.deployment_id}）。"
        lines = [f"已部署 {self.deployment_id}："]
        lines += [f"  流程 {key}" for key in self.process_definitions]
        lines += [f"  资源 {name}" for name in self.resources]
        return "\n".join(lines)


def collect_files(bpmn_dir: Path, forms_dir: Path) -> list[Path]:
    """Return the .bpmn and .form files to deploy, sorted by name; raise if there is no BPMN."""
    bpmn_files = sorted(bpmn_dir.glob("*.bpmn"))
    if not bpmn_files:
        raise DeploymentInvalid(f"{bpmn_dir} 中没有 .bpmn 文件，无可部署的流程。")
    return bpmn_files + sorted(forms_dir.glob("*.form"))


def check_files(files: list[Path]) -> None:
    """Raise DeploymentInvalid for malformed XML or JSON, or a formRef without its form."""
    form_ids: set[str] = set()
    form_refs: list[tuple[Path, str]] = []
    for path in files:
        if path.suffix == ".form":
            form_ids.add(_form_id(path))
        else:
            form_refs += [(path, ref) for ref in _form_refs(path)]
    for path, ref in form_refs:
        if ref not in form_ids:
            raise DeploymentInvalid(f"{path.name}：formRef “{ref}” 找不到对应的表单（forms/*.form 中无此 id）。")


def _form_id(path: Path) -> str:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DeploymentInvalid(f"{path.name}：不是有效的 JSON 表单：{exc}") from exc
    if not isinstance(schema, dict) or not isinstance(schema.get("components"), list):
        raise DeploymentInvalid(f"{path.name}：表单缺少 components 列表。")
    form_id = schema.get("id")
    if not isinstance(form_id, str) or not form_id:
        raise DeploymentInvalid(f"{path.name}：表单缺少 id。")
    return form_id


def _form_refs(path: Path) -> list[str]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DeploymentInvalid(f"{path.name}：XML 格式错误：{exc}") from exc
    return [
        element.get(f"{{{CAMUNDA_NS}}}formRef", "")
        for element in root.iter()
        if element.get(f"{{{CAMUNDA_NS}}}formRef")
    ]


DEPLOY_TIMEOUT_SECONDS = 120.0


def deploy(client: EngineClient, files: list[Path], name: str = DEPLOYMENT_NAME) -> DeploymentResult:
    """Deploy the files as one deployment with duplicate filtering; return what happened."""
    check_files(files)
    multipart = {path.name: (path.name, path.read_bytes()) for path in files}
    data = {
        "deployment-name": name,
        "deployment-source": "huiqi-deploy",
        "enable-duplicate-filtering": "true",
        "deploy-changed-only": "false",
    }
    try:
        # Parsing every diagram and form takes the engine seconds, more on a busy machine: a longer wait than
        # an ordinary call's (a repeat after a timeout is harmless: duplicate filtering).
        answer = client.request(
            "POST", "/deployment/create", data=data, files=multipart, timeout=DEPLOY_TIMEOUT_SECONDS
        ).json()
    except EngineRequestError as exc:
        raise DeploymentInvalid(_parse_problem(exc)) from exc
    definitions = answer.get("deployedProcessDefinitions") or {}
    created = bool(
        definitions
        or answer.get("deployedDecisionDefinitions")
        or answer.get("deployedCaseDefinitions")
    )
    return DeploymentResult(
        deployment_id=answer["id"],
        created=created,
        process_definitions=sorted(
            f"{d['key']} v{d['version']}" for d in definitions.values()
        ),
        resources=sorted(multipart) if created else [],
    )


def deploy_document(client: EngineClient, name: str, resource_name: str, content: bytes) -> str:
    """Deploy one resource as a deployment of its own (a new version only when it changed); return its id."""
    answer = client.request(
        "POST",
        "/deployment/create",
        data={
            "deployment-name": name,
            "deployment-source": name,
            "enable-duplicate-filtering": "true",
            "deploy-changed-only": "true",
        },
        files={resource_name: (resource_name, content, "application/json")},
        timeout=DEPLOY_TIMEOUT_SECONDS,
    ).json()
    return answer["id"]


def _parse_problem(exc: EngineRequestError) -> str:
    """Turn the engine's parse error into lines that name the file, element and line."""
    details = exc.details
    lines = [f"流程引擎拒绝了部署（HTTP {exc.status}），未部署任何文件："]
    for resource, report in details.items():
        for problem in report.get("errors", []) + report.get("warnings", []):
            where = f"第 {problem.get('line')} 行" if problem.get("line") else ""
            element = problem.get("mainElementId") or ""
            lines.append(f"  {resource} {where} {element}：{problem.get('message')}".replace("  ：", "："))
    if len(lines) == 1:
        lines.append(f"  {exc}")
    return "\n".join(lines)
